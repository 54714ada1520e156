import Dispatch
import Synchronization

/// A hub store connection confined to its serial queue, so SQLite's blocking calls never run on Swift's
/// concurrency pool: the mutex hands the store to one job at a time, the gate keeps a transaction's jobs together.
final class SQLiteConnection: Sendable {
    private let store: Mutex<HubStore>
    private let queue: DispatchQueue
    let gate = AsyncGate()

    init(_ store: sending HubStore, label: String) {
        self.store = Mutex(store)
        queue = DispatchQueue(label: label)
    }

    /// Runs one job on the connection's queue; the caller holds the gate (`exclusive` does both).
    func run<T: Sendable>(_ body: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async { continuation.resume(with: Result { try self.store.withLock { try body($0) } }) }
        }
    }

    /// Runs one job on the connection, between transactions.
    func exclusive<T: Sendable>(_ body: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await gate.holding { try await run(body) }
    }
}
