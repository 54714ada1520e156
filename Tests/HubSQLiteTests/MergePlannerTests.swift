import FieldModel
import FieldStore
import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

/// The merge planner decides a push from plain values: no storage, the same plan for the same inputs.
extension HubStoreTests {
    @Test func thePlannerDecidesAPushWithoutStorage() async throws {
        let hub = try hub()
        let (device, _) = try await device(hub)
        let (store, push) = try laptop("P", visits: 2)
        let planner = MergePlanner(hubReplica: hub.replicaID, maxDriftMillis: WireLimits.defaultMaxDriftMillis, catalogue: .shared)
        let request = request(store, push)
        let clock = ReplicaState(id: hub.replicaID)

        let first = try planner.plan(request, from: device, known: nil, stored: [:], hubClock: clock, now: now)
        #expect(first.writes.count == 2 && first.response.fastForward == 2 && first.quarantines.isEmpty)
        #expect(first.hubClock.clock.millis >= request.records.compactMap(\.latestStamp).map(\.millis).max() ?? 0)
        let again = try planner.plan(request, from: device, known: nil, stored: [:], hubClock: clock, now: now)
        #expect(again.writes.map(\.state) == first.writes.map(\.state) && again.hubClock == first.hubClock, "pure")

        // Everything already held: nothing to write, and a lower seq is then no alarm.
        let held = Dictionary(uniqueKeysWithValues: first.writes.map { ($0.visit.id, (visit: $0.visit, state: $0.state)) })
        let replay = try planner.plan(request, from: device, known: (device.id, request.seq + 5), stored: held, hubClock: clock, now: now)
        #expect(replay.writes.isEmpty && replay.response.alreadyKnown == 2)
        // Something new with a lower seq than the hub saw: a restored laptop, refused whole.
        #expect(throws: HubError.self) {
            try planner.plan(request, from: device, known: (device.id, request.seq + 5), stored: [:], hubClock: clock, now: now)
        }
        // The replica of another device, a record outside the scope, a stamp far ahead: refused whole.
        #expect(throws: HubError.self) {
            try planner.plan(request, from: device, known: ("d-other", 0), stored: [:], hubClock: clock, now: now)
        }
        let (elsewhere, _) = try await self.device(hub, commune: "00008")
        #expect(throws: HubError.self) { try planner.plan(request, from: elsewhere, known: nil, stored: [:], hubClock: clock, now: now) }
        #expect(throws: HubError.self) {
            try planner.plan(request, from: device, known: nil, stored: [:], hubClock: clock, now: now.addingTimeInterval(-3 * 86_400))
        }
        // The same record twice in one push: the second is merged over the first.
        var twice = request
        twice.records = [request.records[0], request.records[0]]
        let doubled = try planner.plan(twice, from: device, known: nil, stored: [:], hubClock: clock, now: now)
        #expect(doubled.writes.count == 1 && doubled.response.fastForward == 1 && doubled.response.alreadyKnown == 1)
    }
}
