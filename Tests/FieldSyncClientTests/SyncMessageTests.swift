import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SyncCore
import Localization
import Testing
@testable import FieldSyncClient

/// What `fieldsync sync` tells a volunteer about an entry: only their own values, and whether the visit stays deleted.
@Suite struct SyncMessageTests {
    @Test func anEditThatMetADeletionIsToldWithTheVolunteersOwnValues() throws {
        let dir = TemporaryDirectory()
        let store = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004")
        let id = try store.log(VisitDraft(service: .vneidLevel2, outcome: .pending, citizenName: "Trần Văn Bình", note: "n0")).visit.id
        let mine = store.profile.replicaID, other = ReplicaID(rawValue: 0xabc)
        let old = Stamp(millis: 1_000, counter: 0, replica: mine), deleted = Stamp(millis: 2_000, counter: 0, replica: other)
        let edit = Stamp(millis: 3_000, counter: 0, replica: mine)
        // The deleting side holds the old note and outcome; this laptop's edit wrote new ones, later.
        let fields = [
            Conflict.FieldDifference(field: "deleted", stored: Register(value: .bool(true), stamp: deleted, seq: 1),
                                     incoming: Register(value: .bool(false), stamp: old, seq: 1), winner: .stored),
            Conflict.FieldDifference(field: "note", stored: Register(value: .text("n0"), stamp: old, seq: 1),
                                     incoming: Register(value: .text("b followed up"), stamp: edit, seq: 2), winner: .incoming),
            Conflict.FieldDifference(field: "outcome", stored: Register(value: .text("pending"), stamp: old, seq: 1),
                                     incoming: Register(value: .text("failed"), stamp: edit, seq: 2), winner: .incoming),
        ]
        let entry = Conflict(kind: .editVsDelete, record: id, fields: fields, storedVersion: VersionVector([(mine, UInt64(1)), (other, UInt64(1))]),
                             incomingVersion: VersionVector([(mine, UInt64(2))]), detectedBy: other)
        let message = try #require(try SyncClient.describe(entry, mine: [mine], store, Catalogue(.english)))
        #expect(message.contains("«b followed up»") && message.contains("«Failed»"), "\(message)")
        #expect(!message.contains("«n0»") && !message.contains("«Pending»"), "the deleting side's values are not the volunteer's: \(message)")
        #expect(message.contains("stays deleted"), "\(message)")
    }

    /// A value this laptop wrote before a restore that lost to one it wrote after is not "from another laptop".
    @Test func aLaptopIsNotToldItsOwnValueCameFromAnotherLaptop() throws {
        let dir = TemporaryDirectory()
        let store = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004")
        let id = try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Văn Bình")).visit.id
        let before = store.profile.replicaID
        let after = try store.reidentify(reason: "restored")
        let entry = Conflict(record: id, fields: [
            Conflict.FieldDifference(field: "note", stored: Register(value: .text("X"), stamp: Stamp(millis: 1, counter: 0, replica: before), seq: 2),
                                     incoming: Register(value: .text("Y"), stamp: Stamp(millis: 2, counter: 0, replica: after), seq: 1),
                                     winner: .incoming),
        ], storedVersion: VersionVector([(before, UInt64(2))]), incomingVersion: VersionVector([(after, UInt64(1))]), detectedBy: before)
        #expect(try SyncClient.describe(entry, mine: try store.ownReplicas(), store, Catalogue(.english)) == nil)
    }
}
