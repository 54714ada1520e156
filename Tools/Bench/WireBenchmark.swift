import FieldModel
import FieldStore
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
        var push = Sizes(), pull = Sizes()
        for (n, batch) in batches.enumerated() {
            let request = PushRequest(replica: ReplicaID(rawValue: 7), seq: UInt64(n), batch: "b\(n)", unsynced: 0, records: batch, conflicts: nil)
            try push.add(json: request.encoded(), compact: request.encoded(compact: true))
            let page = PullPage(records: batch, cursor: UInt64(n * 500 + batch.count), more: n < batches.count - 1)
            try pull.add(json: page.encoded(), compact: page.encoded(compact: true))
        }
        // The CPU a pull page of 500 costs each side, each step timed alone (median of 5 runs over every page).
        let pages = batches.enumerated().map { PullPage(records: $1, cursor: UInt64($0 + 1), more: false) }
        func perPage(_ step: () throws -> Void) rethrows -> Double {
            var runs: [Double] = []
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                try step()
                runs.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 / Double(pages.count))
            }
            return runs.sorted()[2]
        }
        var encoded: [[UInt8]] = [], zipped: [[UInt8]] = []
        let encode = perPage { encoded = pages.map { $0.encoded(compact: true) } }
        let gzip = try perPage { zipped = try encoded.map { try WireCompression.gzip.compress($0) } }
        let gunzip = try perPage { _ = try zipped.map { try WireCompression.gzip.decompress($0, limit: WireLimits.maxBodyBytes) } }
        let decode = try perPage { _ = try encoded.map { try PullPage.decode($0) } }
        // And merging it into a laptop's store (a fresh empty store per run: every visit is new).
        let dir = TemporaryDirectory(prefix: "fieldsync-wire-bench")
        var run = 0
        let apply = try perPage {
            run += 1
            let store = try FieldStore.create(at: dir.file("apply-\(run).sqlite"), volunteer: "Cúc", team: "T-00004-01", commune: "00004")
            for page in pages { _ = try store.apply(page) }
        }
        print(String(format: "a compact pull page of 500: hub writes it in %.2f ms and gzips it in %.2f ms; laptop inflates it in %.2f ms, reads it in %.2f ms and merges it in %.2f ms",
                     encode, gzip, gunzip, decode, apply))
        print("\(count) realistic visit changes (half with a CCCD pseudonym, 60 % with a phone, 30 % with a note), in batches of 500,")
        print("bytes per change:            JSON   gzip   compact   compact+gzip")
        for (name, sizes) in [("push", push), ("pull", pull)] {
            print(String(format: "  %@ %@ %6.0f %6.0f %9.0f %14.0f", name, String(repeating: " ", count: 24), Double(sizes.json) / Double(count),
                         Double(sizes.jsonGzip) / Double(count), Double(sizes.compact) / Double(count), Double(sizes.compactGzip) / Double(count)))
        }
    }

    /// Bytes of each form, summed over the batches.
    struct Sizes {
        var json = 0, jsonGzip = 0, compact = 0, compactGzip = 0

        mutating func add(json body: [UInt8], compact short: [UInt8]) throws {
            json += body.count
            jsonGzip += try WireCompression.gzip.compress(body).count
            compact += short.count
            compactGzip += try WireCompression.gzip.compress(short).count
        }
    }
}
