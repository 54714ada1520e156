import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import WireCompression

/// Issue 17: bytes per visit change on the wire, push and pull, for realistic visits.
enum WireBenchmark {
    static let family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
    static let middle = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Thu", "Xuân", "Kim", "Bảo"]
    static let given = ["An", "Bình", "Cúc", "Dũng", "Giang", "Hà", "Hùng", "Lan", "Linh", "Mai", "Nam", "Phúc", "Quỳnh", "Sơn",
                        "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Khải", "Lực", "Mơ", "Xoan", "Như", "Tư"]
    static let notes = ["gọi lại chiều thứ Hai", "chưa nhận được mã OTP", "điện thoại không có mạng", "người nhà hỗ trợ",
                        "hẹn lại sau khi đi làm về", "đã cài ứng dụng, chưa kích hoạt", "cần mang CCCD gắn chip", "nhà sau chợ"]

    /// A day's work of `laptops` volunteers of one commune: `count` new visits as the pushes carry them.
    static func visits(_ count: Int, seed: UInt64 = 17) -> [RecordState] {
        var random = SeededRandom(seed: seed)
        var replica = ReplicaState(id: ReplicaID.random())
        let start = Date(timeIntervalSince1970: 1_764_900_000)
        return (0..<count).map { n in
            let at = start.addingTimeInterval(Double(n) * Double.random(in: 60...600, using: &random))
            let failed = Int.random(in: 0..<6, using: &random) == 0
            let pseudonym = "p1." + (0..<48).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined()
            let visit = Visit(
                id: VisitID.make(now: at), service: Service.allCases.randomElement(using: &random) ?? .vneidLevel2,
                outcome: failed ? .failed : .done, commune: "00004",
                citizenName: "\(family.randomElement(using: &random)!) \(middle.randomElement(using: &random)!) \(given.randomElement(using: &random)!)",
                citizenID: Bool.random(using: &random)
                    ? ProtectedCitizenID(masked: "********" + String(format: "%04d", Int.random(in: 0..<10_000, using: &random)), keyedHash: pseudonym) : nil,
                phone: Int.random(in: 0..<10, using: &random) < 6 ? "09" + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random)) : nil,
                reason: failed ? .otpNotReceived : nil,
                note: Int.random(in: 0..<10, using: &random) < 3 ? notes.randomElement(using: &random)! : "",
                visitedAt: at, volunteer: "Nguyễn Thị Lan", team: "T-00004-01",
                consent: Consent(at: at, by: "Nguyễn Thị Lan", policy: "PDPL-2026-v1"))
            var values: [String: FieldValue] = [:]
            for (field, value) in visit.fieldValues { values[field.rawValue] = value }
            return replica.write(values, to: nil, recordID: visit.id, now: UInt64(at.timeIntervalSince1970 * 1000))
        }
    }

    static func run(visits count: Int) throws {
        let states = visits(count)
        let batches = stride(from: 0, to: states.count, by: WireLimits.maxPushRecords).map { Array(states[$0..<min(states.count, $0 + WireLimits.maxPushRecords)]) }
        var push = (plain: 0, gzip: 0), pull = (plain: 0, gzip: 0)
        for (n, batch) in batches.enumerated() {
            let body = PushRequest(replica: ReplicaID(rawValue: 7), seq: UInt64(n), batch: "b\(n)", unsynced: 0, records: batch, conflicts: nil).encoded()
            push.plain += body.count
            push.gzip += try WireCompression.gzip.compress(body).count
            let page = PullPage(records: batch, cursor: UInt64(n * 500 + batch.count), more: n < batches.count - 1).encoded()
            pull.plain += page.count
            pull.gzip += try WireCompression.gzip.compress(page).count
        }
        func per(_ bytes: Int) -> String { String(format: "%.0f", Double(bytes) / Double(count)) }
        print("\(count) realistic visit changes (half with a CCCD pseudonym, 60 % with a phone, 30 % with a note), in batches of 500:")
        print("  push: JSON \(per(push.plain)) bytes per change, gzip \(per(push.gzip))")
        print("  pull: JSON \(per(pull.plain)) bytes per change, gzip \(per(pull.gzip))")
    }
}
