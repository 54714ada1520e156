import Dispatch
import Synchronization

/// A hub store connection confined to its serial queue, so SQLite's blocking calls never run on Swift's
/// concurrency pool: the mutex hands the store to one job at a time, the gate keeps a transaction's jobs together.
final class SQLiteConnection: Sendable {
    private let store: Mutex<HubStore>
    private let queue: DispatchQueue
    /// Runs tasks' jobs on the queue: a session's operation runs there whole, its primitives without a hop.
    private let executor: QueueExecutor
    let gate = AsyncGate()

    init(_ store: sending HubStore, label: String) {
        self.store = Mutex(store)
        queue = DispatchQueue(label: label)
        executor = QueueExecutor(queue: queue)
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

    /// Runs `body` holding the gate, on the connection's queue: the hub's operation and the session primitives it
    /// awaits (`here`) all run there, as one job would.
    func session<T>(_ body: () async throws -> T) async throws -> T {
        try await withTaskExecutorPreference(executor) {
            try await gate.holding { try await body() }
        }
    }

    /// Uses the store from a session's operation, already on the connection's queue (`session`).
    func here<T>(_ body: @Sendable (HubStore) throws -> T) rethrows -> T {
        dispatchPrecondition(condition: .onQueue(queue))
        return try store.withLock { try body($0) }
    }
}

/// A task executor that runs jobs on a serial dispatch queue.
final class QueueExecutor: TaskExecutor {
    let queue: DispatchQueue

    init(queue: DispatchQueue) { self.queue = queue }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        queue.async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
