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

    @Test func concurrentEditsConvergeAndTheConflictIsLogged() throws {
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

        // Both exchange what they hold at the same moment: each finds the conflict on its own.
        let fromA = try states(a), fromB = try states(b)
        let atB = try b.receive(fromA, now: now.addingTimeInterval(30))
        let atA = try a.receive(fromB, now: now.addingTimeInterval(30))
        #expect(atB.conflicts == 1 && atA.conflicts == 1)
        #expect(try states(a) == states(b))
        let merged = try a.visit(logged.visit.id)
        #expect(merged.visit.outcome == .done && merged.visit.note == "gọi lại")
        #expect(merged.rawCitizenID == "001203012345", "A's own CCCD register is untouched, so A keeps the raw number")
        let conflictAtA = try #require(try a.conflicts().first)
        let conflictAtB = try #require(try b.conflicts().first)
        #expect(conflictAtA.id == conflictAtB.id, "the same conflict found on two laptops is one entry")
        #expect(Set(conflictAtA.fields.map(\.field)) == ["note", "outcome", "reason"])

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
