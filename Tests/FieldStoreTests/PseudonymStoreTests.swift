import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import FieldStore

/// What a laptop does with the pseudonyms the hub evaluates (Protocol/README.md §4.2).
@Suite struct PseudonymStoreTests {
    let dir = TemporaryDirectory()
    let key1 = PseudonymKey(version: 1, publicKey: String(repeating: "02", count: 49))
    let key2 = PseudonymKey(version: 2, publicKey: String(repeating: "03", count: 49))
    let p1 = String(repeating: "ab", count: 48), p2 = String(repeating: "cd", count: 48)

    func store() throws -> FieldStore {
        try FieldStore.create(at: dir.file("s.sqlite"), volunteer: "Nguyễn Thị Lan", team: "T-01", commune: "00004")
    }

    func log(_ store: FieldStore, _ cccd: String) throws -> StoredVisit {
        try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Văn Bình", citizenID: try CitizenID(validating: cccd)))
    }

    @Test func aProtocol2VisitIsReDerivedAsTheSameWriteAndSentAgain() throws {
        let store = try store()
        let old = try log(store, "001203012345")
        // As a protocol-2 laptop left it: a keyed hash and the old mask, pushed, and the shared key kept.
        try store.db.run("UPDATE visits SET cccd_hash = ?, cccd_masked = '001******345' WHERE id = ?",
                         [.text(String(repeating: "0f", count: 32)), .text(old.visit.id)])
        try store.write { try store.setSetting(SettingKey.citizenKey, String(repeating: "9", count: 64)) }
        let pending = try store.pendingPush()
        try store.acknowledge(pending, response: PushResponse(batch: pending.batch, received: 1))
        #expect(try store.unsyncedCount() == 0)

        let work = try store.citizenIDsNeedingPseudonyms(version: nil, limit: 10)
        #expect(work == [PseudonymWork(record: old.visit.id, digits: "001203012345")])
        try store.savePseudonyms(work.map { ($0, p1) }, key: key1)
        let after = try #require(try store.visit(exactly: old.visit.id))
        #expect(after.visit.citizenID == ProtectedCitizenID(masked: "********2345", keyedHash: "p1." + p1))
        #expect(after.state["cccd"]?.write == old.state["cccd"]?.write && after.state.version == old.state.version,
                "no new write: the same stamp and seq, only a more complete encoding")
        #expect(try store.read { try store.setting(SettingKey.citizenKey) } == nil, "the shared key is gone")
        #expect(try store.unsyncedCount() == 1, "the hub has the old encoding: the visit goes again")
        let again = try store.pendingPush()
        #expect(again.states.map(\.id) == [old.visit.id])
        try store.acknowledge(again, response: PushResponse(batch: again.batch, received: 1))
        #expect(try store.unsyncedCount() == 0 && store.citizenIDsNeedingPseudonyms(version: 1, limit: 10).isEmpty)
        #expect(try store.citizenIDsNeedingPseudonyms(version: 2, limit: 10).count == 1, "a rotation makes it due again")
    }

    @Test func aPseudonymIsKeptOnlyForTheIDItWasMadeForAndTheKeyOnlyMovesForward() throws {
        let store = try store()
        let visit = try log(store, "079190123456")
        let work = try store.citizenIDsNeedingPseudonyms(version: nil, limit: 10)
        var changes = VisitChanges()
        changes.citizenID = .some(try CitizenID(validating: "079190123457"))
        _ = try store.edit(visit.visit.id, changes)
        try store.savePseudonyms(work.map { ($0, p1) }, key: key1)
        #expect(try store.visit(exactly: visit.visit.id)?.visit.citizenID?.keyedHash == nil, "the ID was corrected meanwhile: not its pseudonym")
        #expect(try store.pinnedPseudonymKey() == key1)
        #expect(throws: StoreError.pseudonymKeyChanged(pinned: 1, offered: 1)) {
            try store.savePseudonyms([], key: PseudonymKey(version: 1, publicKey: self.key2.publicKey))
        }
        try store.savePseudonyms([], key: key2)
        #expect(throws: StoreError.pseudonymKeyChanged(pinned: 2, offered: 1)) { try store.savePseudonyms([], key: self.key1) }
        #expect(try store.pinnedPseudonymKey() == key2)
    }
}
