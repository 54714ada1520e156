import Foundation
import HubCore
import HubSQLite
import SyncProtocol

extension HubStore {
    /// Merges a push through the hub's core (a `HubService` on this store's file) at `now`: the tests that drive a
    /// store directly keep doing so, and push as the hub does.
    public func push(_ request: PushRequest, from device: Device, now: Date) async throws -> PushResponse {
        try await HubService(path: path, readers: 1, clock: ManualClock(now)).push(request, from: device)
    }

    /// Which of a device's writes the hub holds (§1.1), through the hub's core.
    public func heldWrites(_ request: HeldWritesRequest, from device: Device) async throws -> HeldWritesResponse {
        try await HubService(path: path, readers: 1).heldWrites(request, from: device)
    }
}
