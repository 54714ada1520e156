import Foundation
import HubCore
import HubSQLite
import SyncProtocol

extension HubStore {
    /// The hub's core on this store's file, its clock at `now`: tests that set a store up directly run the hub's
    /// operations (HubCore) through it, as the server does.
    public func core(now: Date = Date()) throws -> HubService {
        try HubService(path: path, readers: 1, clock: ManualClock(now))
    }

    /// Merges a push through the hub's core at `now`.
    public func push(_ request: PushRequest, from device: Device, now: Date) async throws -> PushResponse {
        try await core(now: now).push(request, from: device)
    }
}
