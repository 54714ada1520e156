import CitizenPseudonym
import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

@Suite struct HubStoreTests {
    let dir = TemporaryDirectory()
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    func hub() throws -> HubStore { try HubStore(path: dir.file("hub.sqlite")) }

    func device(_ hub: HubStore, commune: String = "00004", role: Role = .volunteer) async throws -> (Device, String) {
        let core = try hub.core(now: now)
        let code = try await core.createEnrollmentCode(role: role, scope: Scope(team: "T-01", commune: commune), validFor: 7 * 86_400)
        let response = try await core.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan"))
        return (try await core.authenticate(token: response.token), response.token)
    }

    /// A laptop's store with `count` visits, and its first push.
    func laptop(_ name: String, visits count: Int, commune: String = "00004") throws -> (FieldStore, PendingPush) {
        let store = try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-01", commune: commune, now: now)
        _ = try store.log((0..<count).map { VisitDraft(service: .vneidLevel1, outcome: .done, citizenName: "Người \($0)", visitedAt: now) },
                          now: now)
        return (store, try store.pendingPush(now: now))
    }

    func request(_ store: FieldStore, _ push: PendingPush) -> PushRequest {
        PushRequest(replica: store.profile.replicaID, seq: push.seq, batch: push.batch, unsynced: push.remaining,
                    records: push.states, conflicts: nil)
    }

    @Test func anEnrolmentCodeWorksOnceAndTokensAreStoredHashed() async throws {
        let hub = try hub()
        let core = try hub.core(now: now)
        let code = try await core.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 7 * 86_400)
        #expect(code.count == 14 && code.split(separator: "-").count == 3)
        let response = try await core.enroll(EnrollRequest(code: code.lowercased(), replica: nil, volunteer: "Lan"))
        #expect(response.token.count >= 43)
        #expect(response.citizenIdKey == nil, "no shared key leaves the hub: laptops get pseudonyms by the oblivious PRF")
        await #expect(throws: HubError.invalidEnrollmentCode) { try await core.enroll(EnrollRequest(code: code, replica: nil, volunteer: nil)) }
        let stored = try hub.db.query("SELECT token_hash FROM devices") { $0.text(0) ?? "" }
        #expect(stored == [Hub.sha256Hex(response.token)] && !stored.contains(response.token))
        let codes = try hub.db.query("SELECT code_hash FROM enrollment_codes") { $0.text(0) ?? "" }
        #expect(!codes.contains(code))
    }

    @Test func expiredCodesAndRevokedTokensAreRefused() async throws {
        let hub = try hub()
        let code = try await hub.core(now: now).createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 60)
        await #expect(throws: HubError.invalidEnrollmentCode) {
            try await hub.core(now: now.addingTimeInterval(61)).enroll(EnrollRequest(code: code, replica: nil, volunteer: nil))
        }
        let (device, token) = try await device(hub)
        let core = try hub.core(now: now)
        try await core.revoke(device: device.id)
        await #expect(throws: HubError.self) { try await core.authenticate(token: token) }
        await #expect(throws: HubError.self) { try await core.authenticate(token: "not-a-token") }
        await #expect(throws: (any Error).self) {
            try await core.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "99999"), validFor: 60)
        }
    }

    @Test func aPushMergesAndAReplayChangesNothing() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("A", visits: 3)
        let first = try await hub.push(request(store, push), from: device, now: now)
        #expect(first.received == 3 && first.fastForward == 3 && first.hubSeq == 3 && first.rejected.isEmpty)
        let replay = try await hub.push(request(store, push), from: device, now: now)
        #expect(replay.alreadyKnown == 3 && replay.fastForward == 0 && replay.hubSeq == 3)
        let page = try await hub.core().pull(after: 0, limit: 2, for: device)
        #expect(page.records.count == 2 && page.more && page.cursor == 2)
        let rest = try await hub.core().pull(after: page.cursor, limit: 2, for: device)
        #expect(rest.records.count == 1 && !rest.more && rest.cursor == 3)
        #expect(Set((page.records + rest.records).map(\.id)) == Set(push.states.map(\.id)))
        #expect(Set(page.records + rest.records) == Set(push.states))
    }

    @Test func aRestoredOrCopiedReplicaIsRefusedWithNothingWritten() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("A", visits: 2)
        _ = try await hub.push(request(store, push), from: device, now: now)
        var older = request(store, push)
        older.seq = 1
        // A late duplicate of an old push changes nothing: a no-op, not an alarm.
        #expect(try await hub.push(older, from: device, now: now).alreadyKnown == 2)
        // A lower seq that brings something new is a restored laptop.
        var edit = VisitChanges()
        edit.note = "sau khi khôi phục"
        _ = try store.edit(push.states[0].id, edit, now: now)
        var restored = request(store, try store.pendingPush(now: now))
        restored.seq = 1
        await #expect(throws: HubError.self) { try await hub.push(restored, from: device, now: now) }
        let (other, _) = try await self.device(hub)
        await #expect(throws: HubError.self) { try await hub.push(request(store, push), from: other, now: now) }
        #expect(try hub.db.scalarInt("SELECT hub_seq FROM hub") == 2)
        #expect(try hub.db.scalarInt("SELECT count(*) FROM refusals") == 2)
    }

    @Test func stampsBeyondTheDriftBoundAreRefusedWithNothingWritten() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("A", visits: 2)
        let aDayAndAMinuteEarlier = now.addingTimeInterval(-86_460)
        await #expect(throws: HubError.self) { try await hub.push(request(store, push), from: device, now: aDayAndAMinuteEarlier) }
        #expect(try hub.db.scalarInt("SELECT count(*) FROM records") == 0)
        #expect(try await hub.core().mergeReport(ReportFilter()).refusals.first?.kind == "clock_ahead")
    }

    @Test func aRecordOutsideTheScopeRefusesTheWholePush() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub, commune: "00008")
        let (store, push) = try laptop("A", visits: 2, commune: "00004")
        await #expect(throws: HubError.self) { try await hub.push(request(store, push), from: device, now: now) }
        #expect(try hub.db.scalarInt("SELECT count(*) FROM records") == 0)
        let (coordinator, _) = try await self.device(hub, role: .coordinator)
        await #expect(throws: HubError.self) { try await hub.push(request(store, push), from: coordinator, now: now) }
    }

    @Test func invalidRecordsAreQuarantinedWithTheirPayloadAndTheRestMerged() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("A", visits: 3)
        var records = push.states
        var hostile = records[0]
        hostile["cccd"] = Register(value: .object(["masked": .text("001203012345"), "hash": .null]),
                                   stamp: hostile["cccd"]?.stamp ?? Stamp(millis: 1, counter: 0, replica: store.profile.replicaID))
        records[0] = hostile
        var unknownField = records[1]
        unknownField["password"] = Register(value: .text("123456"), stamp: unknownField["name"]!.stamp)
        records[1] = unknownField
        var req = request(store, push)
        req.records = records
        let response = try await hub.push(req, from: device, now: now)
        #expect(response.rejected.map(\.id).sorted() == [records[0].id, records[1].id].sorted())
        #expect(response.fastForward == 1)
        let report = try await hub.core().mergeReport(ReportFilter())
        #expect(report.quarantined.count == 2)
        #expect(report.quarantined.contains { $0.payload.contains("password") })
        #expect(try hub.db.scalarInt("SELECT count(*) FROM records") == 1)
    }

    /// A hub that counted every pseudonym as citizen 0 (before schema 17) is recounted when it opens:
    /// 13 citizens, not 8 (one per visit without a CCCD plus one for all CCCD holders).
    @Test func aHubWithTheOldCitizenKeysIsRecountedAtOpen() async throws {
        let (device, _) = try await device(try hub())
        let store = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004", now: now)
        var drafts = (0..<7).map { VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Người \($0)", visitedAt: now) }
        drafts += (0..<6).map { n in
            VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Công dân \(n)",
                       citizenID: try? CitizenID(validating: "00120300\(String(format: "%04d", 1_000 + n))"), visitedAt: now)
        }
        #expect(drafts.filter { $0.citizenID != nil }.count == 6)
        _ = try store.log(drafts, now: now)
        let key = PseudonymKey(version: 1, publicKey: CitizenPseudonym.hex(TestLaptop.hubKey.publicKey))
        let work = try store.citizenIDsNeedingPseudonyms(version: 1, limit: 100)
        try store.savePseudonyms(try work.map { item in
            let blinded = try CitizenPseudonym.blind([item.digits])[0]
            return (work: item, pseudonym: try CitizenPseudonym.finalize(blinded, evaluation: try TestLaptop.hubKey.evaluate(blinded.request),
                                                                         hubPublicKey: TestLaptop.hubKey.publicKey))
        }, key: key)
        do {
            let hub = try hub()
            let push = try store.pendingPush(now: now)
            _ = try await hub.push(request(store, push), from: device, now: now)
            #expect(try hub.progressReport(ReportFilter(), targets: nil).totals.citizens == 13)
            // What schema 16 wrote: every pseudonym under key 0.
            try hub.db.execute("""
                DELETE FROM citizens WHERE service <> 'vneid-level2';
                INSERT INTO citizens (commune, service, citizen, visits) VALUES ('00004', 'bank-account', 0, 6), ('00004', '*', 0, 6);
                UPDATE citizen_counts SET citizens = 1 WHERE service IN ('bank-account', '*');
                ALTER TABLE hub DROP COLUMN recount_citizens; DROP TABLE writes;
                ALTER TABLE devices DROP COLUMN client_version; ALTER TABLE devices DROP COLUMN client_version_at;
                ALTER TABLE hub DROP COLUMN incarnation_at; DROP TABLE kinds; DROP INDEX records_by_household; DROP INDEX records_by_follow_up; DROP INDEX records_by_review;
                ALTER TABLE records DROP COLUMN household; ALTER TABLE records DROP COLUMN follow_up; ALTER TABLE records DROP COLUMN review; ALTER TABLE records DROP COLUMN extra; DROP TABLE kind_records; DROP TABLE villages;
                PRAGMA user_version = 16;
                """)
            #expect(try hub.progressReport(ReportFilter(), targets: nil).totals.citizens == 8, "the figure schema 16 showed")
        }
        let reopened = try hub()
        #expect(try reopened.progressReport(ReportFilter(), targets: nil).totals.citizens == 13)
        #expect(try reopened.db.scalarInt("SELECT count(*) FROM citizens WHERE citizen = 0") == 0)
        #expect(try reopened.db.scalarInt("SELECT recount_citizens FROM hub") == 0)
    }

    /// After a quarantined payload is erased, the citizen's bytes are in none of the store's files (WAL included).
    @Test func anErasedQuarantinedPayloadLeavesNoBytesInTheFiles() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let store = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004", now: now)
        _ = try store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Hoàng Thị Xoan", phone: try PhoneNumber(validating: "0987654321"),
                                     visitedAt: now), now: now)
        let push = try store.pendingPush(now: now)
        var crafted = request(store, push)
        crafted.records = push.states.map { state in
            var state = state
            if let stamp = state["name"] { state["outcome"] = Register(value: .text("failed"), stamp: stamp.stamp, seq: stamp.seq) }
            return state
        }
        _ = try await hub.push(crafted, from: device, now: now)
        func bytes() throws -> Data {
            try ["", "-wal"].reduce(into: Data()) { data, suffix in
                let path = dir.file("hub.sqlite") + suffix
                if FileManager.default.fileExists(atPath: path) { data.append(try Data(contentsOf: URL(fileURLWithPath: path))) }
            }
        }
        #expect(try bytes().range(of: Data("0987654321".utf8)) != nil)
        let found = try await hub.core().quarantined(matching: QuarantineMatch(phones: ["0987654321"]))
        #expect(try await hub.core().eraseQuarantined(records: found.map(\.record)) == 1)
        for secret in ["0987654321", "Hoàng Thị Xoan"] { #expect(try bytes().range(of: Data(secret.utf8)) == nil, "\(secret)") }
    }

    /// The audit log's actions are the ones Protocol/schemas/audit.schema.json names (a new action needs the schema too).
    @Test func everyAuditActionIsInTheSchema() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/schemas/audit.schema.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.contains("\"action\": {\"enum\"") })
        for action in AuditAction.allCases { #expect(line.contains("\"\(action.rawValue)\""), "\(action.rawValue)") }
    }

    /// A refused record that stands for megabytes is kept as a bounded payload, never written out whole.
    @Test func aHugeRefusedRecordIsKeptCut() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("Lan", visits: 1)
        var crafted = request(store, push)
        crafted.records = push.states.map { state in
            var state = state
            if let stamp = state["name"] {
                state["outcome"] = Register(value: .text("failed"), stamp: stamp.stamp, seq: stamp.seq)
                state["note"] = Register(value: .text(String(repeating: "x", count: 3_000_000)), stamp: stamp.stamp, seq: stamp.seq)
            }
            return state
        }
        let answer = try await hub.push(crafted, from: device, now: now)
        #expect(answer.rejected.count == 1)
        let kept = try await hub.core().quarantined(records: push.states.map(\.id))
        #expect(kept.count == 1 && kept[0].payload.utf8.count <= HubLimits.quarantinePayloadBytes && kept[0].payloadSize >= 3_000_000)
    }

    /// A row read by a column name its query lacks is an error naming the column, not a trap.
    @Test func anUnknownColumnIsAnErrorNamingIt() async throws {
        let hub = try hub()
        let (store, push) = try laptop("Lan", visits: 1)
        let (device, _) = try await device(hub)
        _ = try await hub.push(request(store, push), from: device, now: now)
        #expect(throws: HubError.noColumn("service")) {
            try hub.db.query("SELECT id FROM records") { row in try HubRow.decode(row) }
        }
    }
}
