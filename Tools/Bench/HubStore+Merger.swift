import Foundation
import HubCore
import HubSQLite

extension HubStore {
    /// The hub's core on this store's file, its clock fixed at `now`: the benchmarks set a store up directly and
    /// merge as the hub does.
    func merger(now: Date) throws -> HubService {
        try HubService(path: path, readers: 1, clock: ManualClock(now), maintainsAggregates: maintainsAggregates)
    }
}
