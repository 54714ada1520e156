import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore
import Testing
@testable import FieldStore

/// Two laptops exchanging states directly (as the hub will relay them) converge through SyncCore.
@Suite struct ReceiveTests {
    let dir = TemporaryDirectory()
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    func laptop(_ name: String) throws -> FieldStore {
        try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-01", commune: "00004", now: now)
    }

    func states(_ store: FieldStore) throws -> [RecordState] {
        try store.visits(VisitFilter(includeDeleted: true)).map(\.state)
    }

    @Test func concurrentEditsOfDifferentFieldsMergeWithoutAnEntryAndOfOneFieldConflictOnItAlone() throws {
        let a = try laptop("A"), b = try laptop("B")
        let logged = try a.log(VisitDraft(service: .vneidLevel2, outcome: .pending, citizenName: "Trần Văn Bình",
                                          citizenID: try CitizenID(validating: "001203012345", now: now),
                                          reason: .otpNotReceived, visitedAt: now), now: now)
        #expect(try b.receive(try states(a), now: now).fastForward == 1)
        #expect(try b.visit(logged.visit.id).rawCitizenID == nil, "the raw CCCD never reaches another laptop")

        var done = VisitChanges()
        done.outcome = .done
        done.reason = .some(nil)
        _ = try a.edit(logged.visit.id, done, now: now.addingTimeInterval(10))
        var note = VisitChanges()
        note.note = "gọi lại"
        _ = try b.edit(logged.visit.id, note, now: now.addingTimeInterval(20))

        // Different fields: both exchange what they hold; each combines them, nothing is logged.
        var fromA = try states(a), fromB = try states(b)
        var atB = try b.receive(fromA, now: now.addingTimeInterval(30))
        var atA = try a.receive(fromB, now: now.addingTimeInterval(30))
        #expect(atB.merged == 1 && atA.merged == 1 && atB.conflicts == 0 && atA.conflicts == 0)
        #expect(try states(a) == states(b))
        let merged = try a.visit(logged.visit.id)
        #expect(merged.visit.outcome == .done && merged.visit.note == "gọi lại")
        #expect(merged.rawCitizenID == "001203012345", "A's own CCCD register is untouched, so A keeps the raw number")
        #expect(try a.conflicts().isEmpty && b.conflicts().isEmpty)

        // The same field, concurrently: a conflict on that field alone, found as one entry on both laptops.
        var mine = VisitChanges()
        mine.note = "của A"
        _ = try a.edit(logged.visit.id, mine, now: now.addingTimeInterval(31))
        var theirs = VisitChanges()
        theirs.note = "của B"
        theirs.service = .bankAccount
        _ = try b.edit(logged.visit.id, theirs, now: now.addingTimeInterval(32))
        (fromA, fromB) = (try states(a), try states(b))
        atB = try b.receive(fromA, now: now.addingTimeInterval(33))
        atA = try a.receive(fromB, now: now.addingTimeInterval(33))
        #expect(atB.conflicts == 1 && atA.conflicts == 1)
        #expect(try states(a) == states(b))
        let conflictAtA = try #require(try a.conflicts().first)
        let conflictAtB = try #require(try b.conflicts().first)
        #expect(conflictAtA.id == conflictAtB.id, "the same conflict found on two laptops is one entry")
        #expect(conflictAtA.fields.map(\.field) == ["note"], "B's service change was not concurrent with anything")
        #expect(conflictAtA.losses(of: [a.profile.replicaID]).map(\.field) == ["note"], "A's «của A» lost to B's later write")
        #expect(conflictAtA.losses(of: [b.profile.replicaID]).isEmpty, "B lost nothing: it is not told anything")

        // Receiving again changes nothing.
        let before = try states(a)
        let again = try a.receive(try states(b), now: now.addingTimeInterval(40))
        #expect(again.alreadyKnown == 1 && again.conflicts == 0)
        #expect(try states(a) == before)
        #expect(try a.conflicts().count == 1)
    }

    @Test func aLaterLocalWriteOutStampsWhatWasReceived() throws {
        let a = try laptop("A"), b = try laptop("B")
        // B's clock is an hour ahead of A's.
        let logged = try b.log(VisitDraft(service: .other, outcome: .done, citizenName: "X", visitedAt: now),
                               now: now.addingTimeInterval(3_600))
        try a.receive(try states(b), now: now)
        var edit = VisitChanges()
        edit.note = "sửa"
        let result = try a.edit(logged.visit.id, edit, now: now.addingTimeInterval(1))
        #expect(result.visit.stamp(of: .note)! > logged.stamp(of: .note)!)
        try b.receive(try states(a), now: now.addingTimeInterval(3_601))
        #expect(try b.visit(logged.visit.id).visit.note == "sửa")
    }

    @Test func deletionPropagates() throws {
        let a = try laptop("A"), b = try laptop("B")
        let logged = try a.log(VisitDraft(service: .other, outcome: .done, citizenName: "X", visitedAt: now), now: now)
        try b.receive(try states(a), now: now)
        _ = try a.delete(logged.visit.id, now: now.addingTimeInterval(5))
        try b.receive(try states(a), now: now.addingTimeInterval(6))
        #expect(try b.visit(logged.visit.id).visit.deleted)
        #expect(try b.visits().isEmpty)
    }
}
