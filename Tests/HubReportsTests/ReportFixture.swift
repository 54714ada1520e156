import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
@testable import HubCore
@testable import HubSQLite

/// A small hub with everything the reports must show: a conflict, a quarantined record, a stale
/// device, a duplicate, communes with no activity. Ids, stamps and clocks are fixed so reports are
/// byte-for-byte reproducible.
struct ReportFixture {
    static let now = ISODate.parseCanonical("2025-11-20T12:00:00Z")!
    let dir = TemporaryDirectory(prefix: "fieldsync-reports")
    let hub: HubStore

    init() async throws {
        var hub = try HubStore(path: dir.file("hub.sqlite"))
        try hub.db.run("UPDATE hub SET replica_id = '00000000000000ff'")
        hub = try HubStore(path: dir.file("hub.sqlite"))
        let devices: [(String, String, String, String, String?, String?)] = [
            ("d-lan", "Nguyễn Thị Lan", "T-01", "00004", "2025-11-20T10:00:00Z", nil),
            ("d-binh", "Trần Văn Bình", "T-02", "00004", "2025-11-19T08:30:00Z", nil),
            ("d-cuc", "Lê Thị Cúc", "T-03", "00008", "2025-11-01T09:00:00Z", nil),
        ]
        for (id, name, team, commune, _, _) in devices {
            try hub.db.run("""
                INSERT INTO devices (id, token_hash, role, team, commune, province, volunteer, enrolled_at, bundle_key)
                VALUES (?, ?, 'volunteer', ?, ?, '01', ?, '2025-10-01T00:00:00Z', 'k')
                """, [.text(id), .text(Hub.sha256Hex("tok-" + id)), .text(team), .text(commune), .text(name)])
        }
        try hub.db.run("""
            INSERT INTO devices (id, token_hash, role, province, volunteer, enrolled_at, bundle_key)
            VALUES ('d-coord', ?, 'coordinator', '01', 'Phạm Văn Hải', '2025-10-01T00:00:00Z', 'k')
            """, [.text(Hub.sha256Hex("tok-d-coord"))])
        self.hub = hub

        let lan = ReplicaID(rawValue: 0xAAAA), binh = ReplicaID(rawValue: 0xBBBB), cuc = ReplicaID(rawValue: 0xCCCC)
        var lanClock = ReplicaState(id: lan), binhClock = ReplicaState(id: binh), cucClock = ReplicaState(id: cuc)
        let base: UInt64 = 1_763_600_000_000  // 2025-11-20T00:53:20Z
        let hash = String(repeating: "ab", count: 32)
        func visit(_ n: Int, _ service: Service, _ outcome: Outcome, reason: FailureReason? = nil, commune: String = "00004",
                   volunteer: String, team: String, cccd: Bool = false) -> [String: FieldValue] {
            let v = Visit(id: String(format: "019aa000-0000-7000-8000-%012d", n), service: service, outcome: outcome, commune: commune,
                          citizenName: "Công dân \(n)", citizenID: cccd ? ProtectedCitizenID(masked: "001******345", keyedHash: hash) : nil,
                          reason: reason, visitedAt: Date(timeIntervalSince1970: 1_763_600_000 + Double(n) * 60),
                          volunteer: volunteer, team: team, consent: Consent(at: Date(timeIntervalSince1970: 1_763_600_000), by: volunteer, policy: "P1"))
            return Dictionary(uniqueKeysWithValues: v.fieldValues.map { ($0.key.rawValue, $0.value) })
        }
        func id(_ n: Int) -> String { String(format: "019aa000-0000-7000-8000-%012d", n) }
        let v1 = lanClock.write(visit(1, .vneidLevel2, .done, volunteer: "Nguyễn Thị Lan", team: "T-01", cccd: true), to: nil, recordID: id(1), now: base)
        let v2 = lanClock.write(visit(2, .bankAccount, .failed, reason: .otpNotReceived, volunteer: "Nguyễn Thị Lan", team: "T-01"), to: nil, recordID: id(2), now: base + 1)
        let v3 = lanClock.write(visit(3, .vneidLevel2, .pending, reason: .applicationPending, volunteer: "Nguyễn Thị Lan", team: "T-01"), to: nil, recordID: id(3), now: base + 2)
        try await Self.push(hub, "d-lan", lan, lanClock.seq, [v1, v2, v3])
        // Bình pulls v3, then Lan and Bình both change it: a conflict at the hub.
        binhClock.observe(v3, now: base + 3)
        let lanEdit = lanClock.write(["outcome": .text("done"), "reason": .null], to: v3, recordID: id(3), now: base + 10_000)
        let binhEdit = binhClock.write(["outcome": .text("failed"), "reason": .text("face-capture-failed")], to: v3, recordID: id(3), now: base + 20_000)
        try await Self.push(hub, "d-lan", lan, lanClock.seq, [lanEdit])
        // Bình helps the same citizen for the same service again: a duplicate of v1.
        let v4 = binhClock.write(visit(4, .vneidLevel2, .done, volunteer: "Trần Văn Bình", team: "T-02", cccd: true), to: nil, recordID: id(4), now: base + 30_000)
        try await Self.push(hub, "d-binh", binh, binhClock.seq, [binhEdit, v4])
        // Cúc (stale since) sends one good visit and one with a field visits do not have: quarantined.
        let v5 = cucClock.write(visit(5, .eWallet, .done, commune: "00008", volunteer: "Lê Thị Cúc", team: "T-03"), to: nil, recordID: id(5), now: base + 40_000)
        var bad = cucClock.write(visit(6, .other, .done, commune: "00008", volunteer: "Lê Thị Cúc", team: "T-03"), to: nil, recordID: id(6), now: base + 40_001)
        bad["password"] = Register(value: .text("123456"), stamp: bad["name"]!.stamp)
        try await Self.push(hub, "d-cuc", cuc, cucClock.seq, [v5, bad])
        for (id, _, _, _, lastSync, _) in devices {
            try hub.db.run("UPDATE devices SET last_sync_at = ?, last_unsynced = ? WHERE id = ?",
                           [.text(lastSync), .integer(id == "d-cuc" ? 12 : 0), .text(id)])
        }
    }

    static func push(_ hub: HubStore, _ device: String, _ replica: ReplicaID, _ seq: UInt64, _ records: [RecordState]) async throws {
        let request = PushRequest(replica: replica, seq: seq, batch: "\(device)-\(seq)", unsynced: 0, records: records, conflicts: nil)
        let core = try hub.core(now: now)
        _ = try await core.push(request, from: try await core.authenticate(token: "tok-" + device))
    }

    /// Targets for two communes of Hà Nội, one of them (00025) with no activity at all.
    static let targets = """
        commune,service,target
        00004,vneid-level2,10
        00004,bank-account,4
        00025,vneid-level2,5
        """
}
