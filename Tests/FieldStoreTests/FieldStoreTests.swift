import FieldModel
import FieldSyncTesting
import Foundation
import SQLiteKit
import SyncCore
import Testing
@testable import FieldStore

@Suite struct FieldStoreTests {
    let dir = TemporaryDirectory()
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    func makeStore(_ name: String = "s.sqlite") throws -> FieldStore {
        try FieldStore.create(at: dir.file(name), volunteer: "Nguyễn Thị Lan", team: "T-01", commune: "00004", now: now)
    }

    func draft(_ name: String = "Trần Văn Bình", service: Service = .vneidLevel2, outcome: Outcome = .done,
               cccd: String? = "001203012345") throws -> VisitDraft {
        VisitDraft(service: service, outcome: outcome, citizenName: name,
                   citizenID: try cccd.map { try CitizenID(validating: $0, now: now) },
                   reason: outcome == .failed ? .otpNotReceived : nil, visitedAt: now)
    }

    @Test func createsTheSchemaFromEmpty() throws {
        let store = try makeStore()
        #expect(try store.db.userVersion == FieldStore.schemaVersion)
        #expect(try store.db.scalarInt("PRAGMA application_id") == Int(FieldStore.applicationID))
        let tables = try store.db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { $0.text(0) ?? "" }
        #expect(tables == ["conflicts", "generation", "journal", "kind_records", "rejections", "replica", "retired_replicas", "settings", "visits"])
        #expect(try FieldStore.open(at: dir.file("s.sqlite")).profile == store.profile)
    }

    /// The generation (what the app keeps its opened visits by) moves with every change, whoever makes it, and only
    /// then; the visits changed since a generation are exactly those written after it.
    @Test func theGenerationMovesWithEveryChangeAndOnlyThen() throws {
        let store = try makeStore()
        let first = try store.log(draft("Lê Thị Hoà")).visit.id
        let start = try store.generation()
        _ = try store.visits()
        #expect(try store.generation() == start, "reading changes nothing")
        #expect(try store.visitsChanged(after: start.value).isEmpty)
        let id = try store.log(draft()).visit.id
        let logged = try store.generation()
        #expect(logged.value > start.value && logged.records == start.records && logged.removals == start.removals)
        #expect(try store.visitsChanged(after: start.value).map(\.visit.id) == [id], "only the new visit, not \(first)")
        var changes = VisitChanges()
        changes.note = "một ghi chú"
        _ = try store.edit(id, changes)
        let edited = try store.generation()
        #expect(edited.value > logged.value)
        #expect(try store.visitsChanged(after: logged.value).map(\.visit.note) == ["một ghi chú"])
        // Another process's write (another connection to the same file) is seen too.
        let other = try FieldStore.open(at: dir.file("s.sqlite"))
        _ = try other.delete(id)
        #expect(try store.generation().value > edited.value)
        #expect(try store.visitsChanged(after: edited.value).map(\.visit.deleted) == [true])
        let deleted = try store.generation()
        _ = try store.logRecord(try store.kind("session"), ["place": .text("Thôn Đông"), "topic": .text("vneid"), "trainers": .text("Lan"),
                                                            "attendees": .int(3), "heldAt": .text(ISODate.format(Date()))])
        #expect(try store.generation().records > deleted.records, "other kinds' records too")
    }

    @Test func refusesToOverwriteOrToOpenWhatIsNotAStore() throws {
        _ = try makeStore()
        #expect(throws: StoreError.alreadyExists(path: dir.file("s.sqlite"))) { try makeStore() }
        #expect(throws: StoreError.missing(path: dir.file("none.sqlite"))) { try FieldStore.open(at: dir.file("none.sqlite")) }
        let other = try Database(path: dir.file("other.sqlite"))
        try other.execute("CREATE TABLE x (y)")
        #expect(throws: StoreError.notAStore(path: dir.file("other.sqlite"))) { try FieldStore.open(at: dir.file("other.sqlite")) }
    }

    @Test func refusesANewerSchemaAndLeavesItAlone() throws {
        let store = try makeStore()
        try store.log(try draft())
        try store.db.execute("PRAGMA user_version = 99")
        #expect(throws: StoreError.schemaTooNew(path: dir.file("s.sqlite"), found: 99, supported: FieldStore.schemaVersion)) {
            try FieldStore.open(at: dir.file("s.sqlite"))
        }
        #expect(try store.db.userVersion == 99)
        #expect(try store.db.scalarInt("SELECT count(*) FROM visits") == 1)
    }

    @Test func logStampsEveryFieldWithOneStampAndBumpsTheVector() throws {
        let store = try makeStore()
        let first = try store.log(try draft())
        let second = try store.log(try draft("Lê Thị Hoà"))
        let me = store.profile.replicaID
        #expect(first.version == [me: 1])
        #expect(second.version == [me: 2])
        let stamps = Set(VisitField.allCases.compactMap { first.stamp(of: $0) })
        #expect(stamps.count == 1)
        #expect(stamps.first?.replica == me)
        #expect(VisitField.allCases.filter { $0 != .erased }.allSatisfy { second.stamp(of: $0) != nil })
        #expect(try store.loadReplica().seq == 2)
        let reread = try store.visit(first.visit.id)
        #expect(reread == first)
    }

    @Test func theRawCitizenIDStaysLocalBesideItsMaskedForm() throws {
        let store = try makeStore()
        let stored = try store.log(try draft())
        #expect(stored.rawCitizenID == "001203012345")
        #expect(stored.visit.citizenID?.masked == "********2345", "the last four digits only")
        #expect(stored.state["cccd"]?.value == .object(["masked": .text("********2345"), "hash": .null]), "pending until the first sync")
        #expect(!VisitDocument(stored.visit, version: stored.version).cccd!.contains("203012"))
    }

    @Test func editStampsOnlyTheFieldsItChangesAndTheirGroup() throws {
        let store = try makeStore()
        let logged = try store.log(try draft(outcome: .pending))
        let later = now.addingTimeInterval(60)
        var changes = VisitChanges()
        changes.outcome = .done
        changes.note = ""  // unchanged value: not a change
        let result = try store.edit(String(logged.visit.id.prefix(8)), changes, now: later)
        #expect(result.changed == [.outcome])
        let me = store.profile.replicaID
        #expect(result.visit.version == [me: 2])
        for field in VisitField.allCases where field != .outcome && field != .reason {
            #expect(result.visit.stamp(of: field) == logged.stamp(of: field), "\(field) must keep its stamp")
        }
        #expect(result.visit.stamp(of: .outcome)! > logged.stamp(of: .outcome)!)
        #expect(result.visit.stamp(of: .reason) == result.visit.stamp(of: .outcome), "outcome and reason are written as one")
        #expect(result.visit.state[VisitField.outcome.rawValue]?.seq == 2)

        let again = try store.edit(logged.visit.id, changes, now: later)
        #expect(again.changed.isEmpty)
        #expect(try store.loadReplica().seq == 2)
    }

    @Test func correctingMiddleDigitsOfTheIDIsAChangeEvenWithTheSameMask() throws {
        let store = try makeStore()
        let logged = try store.log(try draft(cccd: "001203012345"))
        var changes = VisitChanges()
        changes.citizenID = try CitizenID(validating: "001203999345", now: now)  // same masked form
        let result = try store.edit(logged.visit.id, changes, now: now)
        #expect(result.changed == [.cccd])
        #expect(result.visit.rawCitizenID == "001203999345")
    }

    @Test func editThatBreaksARuleWritesNothing() throws {
        let store = try makeStore()
        let logged = try store.log(try draft())
        var changes = VisitChanges()
        changes.outcome = .failed  // without a reason
        #expect(throws: InputError.reasonRequired(.failed)) { try store.edit(logged.visit.id, changes, now: now) }
        #expect(try store.visit(logged.visit.id) == logged)
        #expect(try store.loadReplica().seq == 1)
    }

    @Test func deleteWritesTheTombstoneRegisterOnce() throws {
        let store = try makeStore()
        let logged = try store.log(try draft())
        let deleted = try store.delete(logged.visit.id, now: now)
        #expect(deleted.changed == [.deleted])
        #expect(deleted.visit.state.isDeleted)
        #expect(deleted.visit.version == [store.profile.replicaID: 2])
        #expect(try store.delete(logged.visit.id, now: now).changed.isEmpty)
        var changes = VisitChanges()
        changes.note = "x"
        #expect(throws: StoreError.visitDeleted(id: logged.visit.id)) { try store.edit(logged.visit.id, changes) }
        #expect(try store.visits().isEmpty)
        #expect(try store.visits(VisitFilter(includeDeleted: true)).count == 1)
    }

    @Test func aBatchThatFailsHalfWayLeavesNoRowAndNoCounter() throws {
        let store = try makeStore()
        try store.log(try draft())
        let pages = try store.db.scalarInt("PRAGMA page_count") ?? 0
        try store.db.execute("PRAGMA max_page_count = \(pages + 1)")
        let big = try (0..<500).map { i in
            var d = try draft("Người \(i)")
            d.note = String(repeating: "ghi chú ", count: 200)
            return d
        }
        #expect(throws: StoreError.diskFull(path: dir.file("s.sqlite"))) { try store.log(big, now: now) }
        #expect(try store.db.scalarInt("SELECT count(*) FROM visits") == 1)
        #expect(try store.loadReplica().seq == 1)
    }

    @Test func aBatchWithOneInvalidDraftWritesNothing() throws {
        let store = try makeStore()
        var bad = try draft("Người xấu")
        bad.commune = "99999"
        #expect(throws: InputError.communeUnknown(code: "99999")) { try store.log([try draft(), bad], now: now) }
        #expect(try store.visits().isEmpty)
    }

    @Test func findsByPrefixAndSaysWhenAmbiguousOrMalformed() throws {
        let store = try makeStore()
        let logged = try store.log(try draft())
        #expect(try store.visit(String(logged.visit.id.prefix(8)).uppercased()).visit.id == logged.visit.id)
        #expect(try store.visit(String(logged.visit.id.suffix(8))).visit.id == logged.visit.id)
        #expect(throws: InputError.visitIDMalformed(given: "abc")) { try store.visit("abc") }
        #expect(throws: InputError.visitIDMalformed(given: "zzzzzzzz")) { try store.visit("zzzzzzzz") }
        #expect(throws: StoreError.visitNotFound(id: "00000000")) { try store.visit("00000000") }
    }

    @Test func visitsLoggedTogetherShareAnIdStartButNotAnIdEnd() throws {
        let store = try makeStore()
        let first = try store.log(try draft("A"), now: now)
        let second = try store.log(try draft("B"), now: now)
        #expect(first.visit.id.prefix(8) == second.visit.id.prefix(8), "time-ordered ids start alike")
        #expect(throws: StoreError.self) { try store.visit(String(first.visit.id.prefix(8))) }
        #expect(try store.visit(String(first.visit.id.suffix(8))).visit.id == first.visit.id)
        #expect(try store.visit(String(second.visit.id.suffix(12))).visit.id == second.visit.id)
    }

    @Test func searchIgnoresDiacriticsAndFiltersCombine() throws {
        let store = try makeStore()
        try store.log(try draft("Nguyễn Văn A"))
        try store.log(try draft("Đặng Thị Hòa", service: .bankAccount, outcome: .failed, cccd: nil))
        try store.log(try draft("Lê Thị Hoà", service: .bankAccount))
        #expect(try store.visits(VisitFilter(search: "nguyen van a")).map(\.visit.citizenName) == ["Nguyễn Văn A"])
        #expect(try store.visits(VisitFilter(search: "dang")).count == 1)
        #expect(try store.visits(VisitFilter(search: "HOA")).count == 2)
        #expect(try store.visits(VisitFilter(service: .bankAccount, outcome: .failed)).count == 1)
        #expect(try store.visits(VisitFilter(since: now.addingTimeInterval(1))).isEmpty)
        #expect(try store.visits(VisitFilter(search: "%")).isEmpty)
    }

    @Test func statusCountsUnsyncedWrites() throws {
        let store = try makeStore()
        let v = try store.log(try draft())
        try store.log(try draft("B"))
        _ = try store.delete(v.visit.id)
        let status = try store.status()
        #expect(status.visits == 1 && status.deleted == 1 && status.unsynced == 2 && status.seq == 3)
        #expect(status.communeName == "Phường Ba Đình")
    }
}
