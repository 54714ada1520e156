import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import FieldStore

/// Selective sync on the laptop (§7.3): a page naming other villages removes what is no longer covered (once pushed)
/// and restarts the pull; what a LAN peer gives is kept to the villages covered.
@Suite struct ScopeTests {
    func household(_ id: String, village: String, head: String, by replica: inout ReplicaState) -> RecordState {
        replica.write(["village": .text(village), "head": .text(head), "adults": .int(2), "commune": .text("00004"), "volunteer": .text("hub"),
                       "key": .text("addr:" + id), "deleted": .bool(false)], to: nil, recordID: id, kind: "household", now: 1_767_000_000_000)
    }

    @Test func otherVillagesLeaveAndThePullStartsOver() throws {
        let dir = TemporaryDirectory()
        let store = try FieldStore.create(at: dir.file("s.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004")
        var hub = ReplicaState(id: ReplicaID.random())
        let east = household("01a250f7-0000-7000-8000-000000000001", village: "Thôn Đông", head: "Nguyễn Văn An", by: &hub)
        let west = household("01a250f7-0000-7000-8000-000000000002", village: "Thôn Tây", head: "Lê Thị Hoa", by: &hub)
        // The first page: both villages (the whole commune), then a page naming Thôn Đông only.
        #expect(try store.apply(PullPage(records: [east, west], cursor: 10, more: false)).restartPull == false)
        var visit = VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Lê Thị Hoa")
        visit.extra = ["household": .text(west.id)]
        let pending = try store.log(visit).visit.id
        let moved = try store.apply(PullPage(records: [], cursor: 12, more: false, villages: ["Thôn Đông"]))
        #expect(try moved.restartPull && store.pullCursor() == 0, "the pull starts over")
        #expect(try store.households().map(\.id).sorted() == [east.id, west.id].sorted()
                && store.visit(exactly: pending) != nil, "a visit not yet pushed keeps itself and its household")
        // The pull from the start (nothing new here), then the push: the end of the sync takes Thôn Tây away.
        #expect(try store.apply(PullPage(records: [east], cursor: 12, more: false, villages: ["Thôn Đông"])).restartPull == false)
        let push = try store.pendingPush()
        try store.acknowledge(push, response: PushResponse(batch: push.batch))
        try store.finishSync()
        #expect(try store.households().map(\.id) == [east.id] && store.visit(exactly: pending) == nil)
        #expect(try store.apply(PullPage(records: [], cursor: 13, more: false, villages: ["Thôn Đông", "Tổ 5"])).restartPull)
        #expect(try store.households().map(\.id) == [east.id])
        #expect(try store.apply(PullPage(records: [], cursor: 14, more: false, villages: ["Tổ 5", "Thôn Đông"])).restartPull == false,
                "the same villages in another order change nothing")

        // From a LAN peer: Thôn Tây's household and its visit stay out; the team's visit of no household comes in.
        var peer = ReplicaState(id: ReplicaID.random())
        let other = household("01a250f7-0000-7000-8000-000000000003", village: "Thôn Tây", head: "Trần Văn Ba", by: &peer)
        func visitState(_ id: String, household: String?, team: String) -> RecordState {
            var values: [String: FieldValue] = ["service": .text("bank-account"), "outcome": .text("done"), "commune": .text("00004"),
                                                "name": .text("Phạm Tư"), "note": .text(""), "visitedAt": .text("2026-12-01T01:00:00Z"),
                                                "volunteer": .text("Hoa"), "team": .text(team), "deleted": .bool(false), "erased": .bool(false)]
            if let household { values["household"] = .text(household) }
            return peer.write(values, to: nil, recordID: id, now: 1_767_000_000_000)
        }
        let kept = try store.withinScope([other, visitState("01a250f7-0000-7000-8000-0000000000a1", household: other.id, team: "T-01"),
                                          visitState("01a250f7-0000-7000-8000-0000000000a2", household: east.id, team: "T-02"),
                                          visitState("01a250f7-0000-7000-8000-0000000000a3", household: nil, team: "T-01"),
                                          visitState("01a250f7-0000-7000-8000-0000000000a4", household: nil, team: "T-02")])
        #expect(kept.map(\.id) == ["01a250f7-0000-7000-8000-0000000000a2", "01a250f7-0000-7000-8000-0000000000a3"])
    }
}
