import FieldStore
import Synchronization
import SyncCore

/// What the app opened of the store (its live visits, its households), kept between pages: opening 20,000 sealed
/// visits for every page would take most of a second. Each page asks the store what changed since (its generation,
/// moved by any change: the app, the command line, a sync) and opens only the visits changed; households again only
/// when records changed, everything again when visits were removed. Forgotten as soon as the store is found locked,
/// and when the app locks it.
final class OpenedStore: Sendable {
    /// The live visits (newest first) and households at one generation.
    struct Snapshot: Sendable {
        let generation: StoreGeneration
        let visits: [StoredVisit]
        let households: [RecordState]
    }

    private let kept = Mutex<Snapshot?>(nil)

    /// The store's live visits and households now.
    func snapshot(_ store: FieldStore) throws -> Snapshot {
        // The generation is read first: what is opened after it is at least as new, so a later change is never missed
        // (a change made meanwhile is opened again next time).
        let now = try store.generation()
        let fresh: Snapshot
        if let kept = kept.withLock({ $0 }), kept.generation.removals == now.removals {
            if kept.generation == now { return kept }
            var visits = kept.visits
            let changed = try store.visitsChanged(after: kept.generation.value)
            if !changed.isEmpty {
                let ids = Set(changed.map(\.visit.id))
                visits.removeAll { ids.contains($0.visit.id) }
                visits += changed.filter { !$0.visit.deleted }
                visits.sort { ($0.visit.visitedAt, $1.visit.id) > ($1.visit.visitedAt, $0.visit.id) }
            }
            let households = kept.generation.records == now.records ? kept.households : try store.households()
            fresh = Snapshot(generation: now, visits: visits, households: households)
        } else {
            fresh = Snapshot(generation: now, visits: try store.visits(), households: try store.households())
        }
        kept.withLock { $0 = fresh }
        return fresh
    }

    /// Drops what was kept.
    func forget() { kept.withLock { $0 = nil } }
}
