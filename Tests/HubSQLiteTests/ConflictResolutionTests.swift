import FieldModel
import FieldStore
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

/// Coordinators resolve conflict entries with a hub write that follows both sides (issue 11, item 4).
extension HubStoreTests {
    /// Two laptops holding one visit, and their devices at the hub.
    struct Pair {
        let a: FieldStore, b: FieldStore
        let deviceA: Device, deviceB: Device
        let visit: String
    }

    /// Laptop A logs a visit and pushes it; laptop B pulls it.
    func pair(_ hub: HubStore) async throws -> Pair {
        let (deviceA, _) = try await device(hub), (deviceB, _) = try await device(hub)
        let (a, push) = try laptop("A", visits: 1)
        let response = try await hub.push(request(a, push), from: deviceA, now: now)
        try a.acknowledge(push, response: response, now: now)
        let b = try FieldStore.create(at: dir.file("B.sqlite"), volunteer: "B", team: "T-01", commune: "00004", now: now)
        _ = try b.apply(try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: deviceB), now: now)
        return Pair(a: a, b: b, deviceA: deviceA, deviceB: deviceB, visit: push.states[0].id)
    }

    /// Pushes what a laptop has not sent and records the answer.
    @discardableResult
    func sync(_ store: FieldStore, as device: Device, _ hub: HubStore, at time: Date) async throws -> PushResponse {
        let push = try store.pendingPush(now: time)
        let response = try await hub.push(request(store, push), from: device, now: time)
        try store.acknowledge(push, response: response, now: time)
        return response
    }

    /// A edits the note, then B (later); A syncs, then B: one conflict on the note, B's value kept.
    @discardableResult
    func concurrentNotes(_ p: Pair, _ hub: HubStore, a: String = "A", b: String = "B") async throws -> PushResponse {
        _ = try p.a.edit(p.visit, note(a), now: now.addingTimeInterval(60))
        _ = try p.b.edit(p.visit, note(b), now: now.addingTimeInterval(120))
        try await sync(p.a, as: p.deviceA, hub, at: now.addingTimeInterval(180))
        return try await sync(p.b, as: p.deviceB, hub, at: now.addingTimeInterval(240))
    }

    func note(_ text: String) -> VisitChanges {
        var changes = VisitChanges()
        changes.note = text
        return changes
    }

    @Test func takingTheLosingNoteIsAHubWriteThatConflictsWithNeitherLaptop() async throws {
        let hub = try hub()
        let p = try await pair(hub)
        #expect(try await concurrentNotes(p, hub, a: "ghi chú của A", b: "ghi chú của B").conflicts == 1)

        let open = try await hub.core().conflicts(status: .open, since: nil, until: nil, scope: Scope())
        #expect(open.count == 1 && open[0].fields.map(\.field) == ["note"] && open[0].resolution == nil)
        let shown = try await hub.core().conflict(String(open[0].id.prefix(10)), scope: Scope())
        #expect(shown.current?["note"] == .text("ghi chú của B"))
        await #expect(throws: HubError.self) { try await hub.core().conflict(open[0].id, scope: Scope(commune: "00008")) }
        await #expect(throws: HubError.self) { try await hub.core().conflict("not-an-id", scope: Scope()) }

        let (line, before) = try await hub.core(now: now.addingTimeInterval(300)).resolveConflict(open[0].id, choice: .take, by: "Trần Văn Hải", device: nil, scope: Scope())
        #expect(!before && line.resolution?.choice == "take" && line.resolution?.by == "Trần Văn Hải")
        #expect(line.resolution?.values == ["note": .text("ghi chú của A")] && line.current?["note"] == .text("ghi chú của A"))
        let stored = try #require(try hub.storedVisit(p.visit))
        #expect(stored.visit.note == "ghi chú của A" && stored.state["note"]?.stamp.replica == hub.replicaID)
        for side in [p.a, p.b] {
            let own = try #require(try side.visit(exactly: p.visit)).state
            #expect(stored.state.version.covers(try #require(own["note"])))
        }
        let seq = try hub.db.scalarInt("SELECT hub_seq FROM hub")

        // Again, even with another choice: nothing changes.
        let again = try await hub.core().resolveConflict(open[0].id, choice: .set(["note": .text("khác")]), by: "Lan", device: nil, scope: Scope())
        #expect(again.alreadyResolved && again.line.resolution?.by == "Trần Văn Hải")
        #expect(try hub.db.scalarInt("SELECT hub_seq FROM hub") == seq && (try hub.storedVisit(p.visit))?.visit.note == "ghi chú của A")

        // Both laptops take the resolution as a plain fast-forward: no new entry anywhere.
        for (side, device) in [(p.a, p.deviceA), (p.b, p.deviceB)] {
            let logged = try side.conflicts().count
            let summary = try side.apply(try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: device), now: now.addingTimeInterval(400))
            #expect(summary.conflicts == 0 && summary.found.isEmpty && summary.fastForward == 1)
            #expect(try side.conflicts().count == logged)
            #expect(try side.visit(exactly: p.visit)?.visit.note == "ghi chú của A")
        }
        let core = try hub.core()
        #expect(try await core.conflicts(status: .open, since: nil, until: nil, scope: Scope()).isEmpty)
        #expect(try await core.conflicts(status: .resolved, since: nil, until: nil, scope: Scope()).count == 1)
        let report = try await hub.core().mergeReport(ReportFilter())
        #expect(report.totals.resolved == 1 && report.conflicts[0].resolution?.hubSeq == UInt64(seq ?? 0))
    }

    @Test func keepWritesNothingAndSetChecksTheFieldAndTheRules() async throws {
        let hub = try hub()
        let p = try await pair(hub)
        try await concurrentNotes(p, hub)
        let id = try #require(try await hub.core().conflicts(status: .all, since: nil, until: nil, scope: Scope()).first?.id)
        let seq = try hub.db.scalarInt("SELECT hub_seq FROM hub")

        await #expect(throws: HubError.self) { try await hub.core().resolveConflict(id, choice: .set(["outcome": .text("failed")]), by: "x", device: nil, scope: Scope()) }
        await #expect(throws: HubError.self) { try await hub.core().resolveConflict(id, choice: .set(["note": .text("a\u{202E}b")]), by: "x", device: nil, scope: Scope()) }
        await #expect(throws: HubError.self) { try await hub.core().resolveConflict(id, choice: .set([:]), by: "x", device: nil, scope: Scope()) }
        #expect(throws: HubError.self) { try Hub.typedValue("12345", for: "phone") }
        #expect(throws: HubError.self) { try Hub.typedValue("079203012345", for: "cccd") }
        #expect(try Hub.typedValue("+84 971 234 567", for: "phone") == .text("0971234567"))
        #expect(try await hub.core().conflicts(status: .open, since: nil, until: nil, scope: Scope()).count == 1, "a refused resolution leaves the entry open")

        let kept = try await hub.core().resolveConflict(id, choice: .keep, by: "Lan", device: nil, scope: Scope())
        #expect(kept.line.resolution?.choice == "keep" && kept.line.resolution?.hubSeq == nil && kept.line.resolution?.values == nil)
        #expect(try hub.db.scalarInt("SELECT hub_seq FROM hub") == seq && hub.storedVisit(p.visit)?.visit.note == "B")
    }

    @Test func takingAnEditThatMetADeletionRestoresTheVisitWithTheEdit() async throws {
        let hub = try hub()
        let p = try await pair(hub)
        _ = try p.b.edit(p.visit, note("đã gọi lại"), now: now.addingTimeInterval(60))
        _ = try p.a.delete(p.visit, now: now.addingTimeInterval(120))
        try await sync(p.b, as: p.deviceB, hub, at: now.addingTimeInterval(180))
        #expect(try await sync(p.a, as: p.deviceA, hub, at: now.addingTimeInterval(240)).editVsDelete == 1)
        let entry = try #require(try await hub.core().conflicts(status: .all, since: nil, until: nil, scope: Scope()).first)
        #expect(try entry.kind == "edit-vs-delete" && hub.storedVisit(p.visit)?.visit.deleted == true)
        await #expect(throws: HubError.self) { try await hub.core().resolveConflict(entry.id, choice: .set(["note": .text("x")]), by: "x", device: nil, scope: Scope()) }

        try await hub.core(now: now.addingTimeInterval(300)).resolveConflict(entry.id, choice: .take, by: "Lan", device: nil, scope: Scope())
        let restored = try #require(try hub.storedVisit(p.visit))
        #expect(!restored.visit.deleted && restored.visit.note == "đã gọi lại")
        let summary = try p.a.apply(try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: p.deviceA), now: now.addingTimeInterval(400))
        #expect(try summary.found.isEmpty && p.a.visit(exactly: p.visit)?.visit.deleted == false)
    }

    @Test func aLaptopThatPushedFirstHearsOfItsLossOnceAtItsNextPull() async throws {
        let hub = try hub()
        let p = try await pair(hub)
        try await concurrentNotes(p, hub)

        let pageForA = try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: p.deviceA)
        #expect(pageForA.conflicts?.count == 1 && pageForA.conflicts?[0].losses(of: [p.a.profile.replicaID]).count == 1)
        #expect(try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: p.deviceB).conflicts == nil, "B's write won: nothing to tell B")
        let decoded = try PullPage.decode(pageForA.encoded())
        #expect(decoded.conflicts == pageForA.conflicts)

        let first = try p.a.apply(pageForA, now: now.addingTimeInterval(300))
        #expect(first.fastForward == 1 && first.found.isEmpty && first.heard.map(\.id) == pageForA.conflicts?.map(\.id))
        #expect(try p.a.conflicts().count == 1 && p.a.pendingPush(now: now).conflicts.isEmpty, "kept, not sent back")
        #expect(try p.a.apply(pageForA, now: now.addingTimeInterval(360)).heard.isEmpty, "told once")

        try await hub.core().resolveConflict(try #require(pageForA.conflicts?[0].id), choice: .keep, by: "Lan", device: nil, scope: Scope())
        #expect(try await hub.core().pull(after: 0, limit: WireLimits.defaultPullLimit, for: p.deviceA).conflicts == nil, "a resolved entry is not sent")
    }
}
