import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Testing
@testable import FieldApp

/// The app's kept visits (issue 32) against the store itself: after any mix of logs, edits, deletions and writes from
/// another connection, the snapshot equals what the store reads whole.
@Suite struct OpenedStoreTests {
    @Test(arguments: [1, 2, 3] as [UInt64])
    func theKeptVisitsAreAlwaysTheStores(seed: UInt64) throws {
        let dir = TemporaryDirectory()
        let path = dir.file("s.sqlite")
        let store = try FieldStore.create(at: path, volunteer: "Lan", team: "T-01", commune: "00004")
        let other = try FieldStore.open(at: path)
        let opened = OpenedStore()
        var random = SeededRandom(seed: seed)
        var ids: [String] = []
        for step in 0..<120 {
            let writer = random.next() % 3 == 0 ? other : store
            switch (random.next() % 10, ids.isEmpty) {
            case (0...4, _), (_, true):
                let at = Date().addingTimeInterval(-Double(random.next() % 86_400))
                ids.append(try writer.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Công Dân \(step)", visitedAt: at)).visit.id)
            case (5...7, _):
                var changes = VisitChanges()
                changes.note = "ghi chú \(step)"
                changes.visitedAt = Date().addingTimeInterval(-Double(random.next() % 86_400))
                _ = try writer.edit(ids[Int(random.next() % UInt64(ids.count))], changes)
            default:
                // A deleted visit can no longer be edited: it leaves the choice.
                _ = try writer.delete(ids.remove(at: Int(random.next() % UInt64(ids.count))))
            }
            if random.next() % 3 == 0 || step == 119 {
                let kept = try opened.snapshot(store).visits
                #expect(kept == (try store.visits()), "step \(step)")
            }
        }
    }
}
