import Dispatch
import FieldModel
import Foundation
import HubCore
import SQLiteKit
import SyncCore
import SyncProtocol
import Synchronization

/// Gives the HTTP handlers the central store without blocking Swift's concurrency pool: one writer
/// connection on its own serial queue (SQLite has one writer anyway) and reader connections on theirs.
/// The hub's operations (HubCore) run on it as a `HubEngine`; pushes waiting together share one commit.
public final class HubService: Sendable {
    private typealias PendingPush = (request: PushRequest, device: Device, continuation: CheckedContinuation<PushResponse, any Error>)
    /// What the handlers share: the next reader's turn and the pushes waiting for the writer.
    private struct Shared: Sendable {
        var nextReader = 0
        var pending: [PendingPush] = []
        var draining = false
    }

    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    /// Token checks have a connection of their own, so they never queue behind a long report.
    private let authReader: SQLiteConnection
    private let shared = Mutex(Shared())
    /// Most records merged in one group commit.
    static let groupRecords = 5_000
    /// The hub's replica id.
    public let replicaID: String
    /// The hub's replica id.
    public let hubReplica: ReplicaID
    /// The store file.
    public let path: String
    /// The change number the store had reached before it was found restored from an older copy, if it was.
    public let restoredFrom: UInt64?
    /// The clock every time-dependent operation reads.
    public let clock: any HubClock
    public let maxDriftMillis: UInt64
    public let catalogue: CommuneCatalogue

    /// Opens the store at `path` (creating it if missing) with one writer and `readers` reader connections.
    /// - Parameters:
    ///   - maxPages: fault injection for tests: the writer's store behaves as if the disk were full beyond this many pages.
    ///   - maintainsAggregates: only the benchmark turns this off, to measure what the report aggregates cost.
    ///   - readOnly: the store must exist, and is opened for reading only (reports, lists): writes fail.
    public init(path: String, readOnly: Bool = false, readers: Int = 2, maxDriftMillis: UInt64? = nil, maxPages: Int? = nil,
                clock: any HubClock = SystemClock(), catalogue: CommuneCatalogue = .shared, maintainsAggregates: Bool = true) throws {
        self.clock = clock
        let store = try HubStore(path: path, readOnly: readOnly, catalogue: catalogue, now: clock.now())
        if let maxDriftMillis { store.maxDriftMillis = maxDriftMillis }
        if let maxPages { try store.limitPages(maxPages) }
        store.maintainsAggregates = maintainsAggregates
        hubReplica = store.replicaID
        replicaID = store.replicaID.description
        restoredFrom = store.restoredFrom
        self.maxDriftMillis = store.maxDriftMillis
        self.catalogue = catalogue
        self.path = path
        writer = SQLiteConnection(store, label: "fieldsync.hub.writer")
        self.readers = try (0..<max(1, readers)).map { i in
            SQLiteConnection(try HubStore(path: path, readOnly: true, catalogue: catalogue), label: "fieldsync.hub.reader.\(i)")
        }
        authReader = SQLiteConnection(try HubStore(path: path, readOnly: true, catalogue: catalogue), label: "fieldsync.hub.auth")
    }

    /// Runs `body` with the writer connection, on the writer queue.
    public func write<T: Sendable>(_ body: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await writer.exclusive(body)
    }

    /// Runs `body` with a reader connection, on that reader's queue.
    public func read<T: Sendable>(_ body: @escaping @Sendable (HubStore) throws -> T) async throws -> T {
        try await nextReader().exclusive(body)
    }

    private func nextReader() -> SQLiteConnection {
        shared.withLock { shared in
            shared.nextReader &+= 1
            return readers[shared.nextReader % readers.count]
        }
    }

    /// Merges a push, together with every other push waiting at that moment (group commit: one
    /// transaction, one fsync; each push in its own savepoint, so a refused one fails alone).
    public func push(_ request: PushRequest, from device: Device) async throws -> PushResponse {
        try await withCheckedThrowingContinuation { continuation in
            let start = shared.withLock { shared in
                shared.pending.append((request, device, continuation))
                defer { shared.draining = true }
                return !shared.draining
            }
            if start { Task { await self.drain() } }
        }
    }

    /// Merges the waiting pushes, a group at a time, until none is waiting.
    private func drain() async {
        while true {
            let group: [PendingPush] = shared.withLock { shared in
                var records = 0
                var taken = 0
                while taken < shared.pending.count,
                      taken == 0 || records + shared.pending[taken].request.records.count <= Self.groupRecords {
                    records += shared.pending[taken].request.records.count
                    taken += 1
                }
                let group = Array(shared.pending.prefix(taken))
                shared.pending.removeFirst(taken)
                if group.isEmpty { shared.draining = false }
                return group
            }
            if group.isEmpty { return }
            let results = await pushGroup(group.map { ($0.request, $0.device) }, now: clock.now())
            for (item, result) in zip(group, results) { item.continuation.resume(with: result.mapError { $0 }) }
        }
    }

    /// Merges several devices' pushes in one transaction, each in its own savepoint: a refused push is rolled back
    /// alone (and logged) and the others commit. If the store fails, or the commit, every push fails.
    func pushGroup(_ pushes: [(PushRequest, Device)], now: Date) async -> [Result<PushResponse, HubError>] {
        var results: [Result<PushResponse, HubError>] = []
        do {
            try await transaction { session in
                for (request, device) in pushes {
                    do {
                        try planner.check(request, from: device)
                        results.append(.success(try await session.savepoint { try await merge(request, from: device, now: now, in: session) }))
                    } catch let error as HubError {
                        results.append(.failure(error))
                        try await logRefusal(error, device: device, now: now, in: session)
                    } catch let error as SQLiteError {
                        throw error
                    } catch {
                        results.append(.failure(.invalidRequest("\(error)")))
                    }
                }
            }
        } catch {
            let failure = (error as? HubError) ?? .storage(detail: "\(error)")
            return pushes.map { _ in .failure(failure) }
        }
        return results
    }
}

extension HubService: HubEngine {
    public func transaction<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        try await writer.session {
            do {
                try writer.here { try $0.begin() }
                do {
                    let result = try await body(SQLiteSession(connection: writer))
                    try writer.here { try $0.commit() }
                    return result
                } catch {
                    writer.here { $0.rollback() }
                    throw error
                }
            } catch let error as SQLiteError {
                throw HubStore.translate(error)
            }
        }
    }

    public func erasing<T: Sendable>(_ tables: [String], _ body: () async throws -> T) async throws -> T {
        guard !tables.isEmpty else { return try await body() }
        do {
            try await writer.exclusive { try $0.beginErasing() }
            let result: T
            do {
                result = try await body()
            } catch {
                // Losing this error is safe: the body's failure is thrown; the truncation is tried again by the next erasure.
                try? await writer.exclusive { try $0.endErasing() }
                throw error
            }
            try await writer.exclusive { try $0.endErasing() }
            return result
        } catch let error as SQLiteError {
            throw HubStore.translate(error)
        }
    }

    public func quickRead<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        do {
            return try await authReader.session { try await body(SQLiteSession(connection: authReader)) }
        } catch let error as SQLiteError {
            throw HubStore.translate(error)
        }
    }

    public func snapshot<T: Sendable>(_ body: (SQLiteSession) async throws -> T) async throws -> T {
        let reader = nextReader()
        return try await reader.session {
            do {
                try reader.here { try $0.db.execute("BEGIN DEFERRED") }
                let result: T
                do {
                    result = try await body(SQLiteSession(connection: reader))
                } catch {
                    // Losing this error is safe: a read transaction has nothing to commit; the body's error is thrown.
                    try? reader.here { try $0.db.execute("COMMIT") }
                    throw error
                }
                try reader.here { try $0.db.execute("COMMIT") }
                return result
            } catch let error as SQLiteError {
                throw HubStore.translate(error)
            }
        }
    }
}

extension HubService: HubStorage {
    public func schemaVersion() async throws -> Int {
        try await read { try $0.schemaVersionInUse() }
    }

    public func progressCounts(_ filter: ReportFilter, targets: Targets?, citizens: Bool) async throws -> ProgressReport {
        try await read { try $0.progressReport(filter, targets: targets, citizens: citizens) }
    }

    public func duplicatesReport(_ filter: ReportFilter) async throws -> DuplicatesReport {
        try await read { try $0.duplicatesReport(filter) }
    }

    public func dailyOutcomes(_ filter: ReportFilter) async throws -> [String: [String: Int]] {
        try await read { try $0.dailyOutcomes(filter) }
    }

    public func storeBytes() -> Int64? {
        ["", "-wal"].reduce(Int64(0)) { total, suffix in
            // Losing this error is safe: a missing WAL file (or one being checkpointed away) counts as 0 bytes.
            let size = (try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? NSNumber)?.int64Value
            return total + (size ?? 0)
        }
    }
}
