import FieldStore
import Synchronization
import SyncCore

/// What the app opened of the store (its live visits, its households), kept while the store's generation stays the
/// same: opening 20,000 sealed visits for every page would take most of a second. Any change, by the app, the command
/// line or a sync, moves the generation and the next page opens them again. Forgotten as soon as the store is found
/// locked, and when the app locks it.
final class OpenedStore: Sendable {
    /// The visits (newest first) and households of one generation.
    struct Snapshot: Sendable {
        let generation: Int64
        let visits: [StoredVisit]
        let households: [RecordState]
    }

    private let kept = Mutex<Snapshot?>(nil)

    /// The store's visits and households now: those kept, or opened again when the store changed.
    func snapshot(_ store: FieldStore) throws -> Snapshot {
        // The generation is read first: what is opened after it is at least as new, so a later change is never missed.
        let generation = try store.generation()
        if let kept = kept.withLock({ $0 }), kept.generation == generation { return kept }
        let fresh = Snapshot(generation: generation, visits: try store.visits(), households: try store.households())
        kept.withLock { $0 = fresh }
        return fresh
    }

    /// Drops what was kept.
    func forget() { kept.withLock { $0 = nil } }
}
