import FieldModel
import Foundation
import HubCore
import Logging
import PostgresNIO
import SyncCore
import SyncProtocol

/// The hub's central store on PostgreSQL, shared by any number of hub processes: every request is
/// one transaction at READ COMMITTED with explicit locks where it reads then writes, and retried on
/// a serialization failure or deadlock (Protocol/README.md §7 for the commit-safe pull cursor).
public final class PostgresHubStore: Sendable {
    let client: PostgresClient
    let logger: Logger
    /// Where the store is (password left out).
    public let location: String
    /// The hub's replica id, the same for every process on this database.
    public let hubReplica: ReplicaID
    /// The store's incarnation (fixed: PostgreSQL's own backups and replication keep it whole).
    public let incarnation: String?
    /// How far ahead of the hub's clock a stamp may be.
    public let maxDriftMillis: UInt64
    public let catalogue: CommuneCatalogue
    /// The clock every time-dependent operation reads.
    public let clock: any HubClock
    /// Attempts of one transaction that meets serialization failures or deadlocks.
    static let attempts = 8

    private init(client: PostgresClient, logger: Logger, location: String, identity: (ReplicaID, String),
                 maxDriftMillis: UInt64, catalogue: CommuneCatalogue, clock: any HubClock) {
        self.clock = clock
        self.client = client
        self.logger = logger
        self.location = location
        (hubReplica, incarnation) = identity
        self.maxDriftMillis = maxDriftMillis
        self.catalogue = catalogue
    }

    /// Connects to the database at `url`, migrates it (one process at a time) and runs `body` with
    /// the store; the connections close when `body` returns.
    public static func withStore<T: Sendable>(
        url: String, connections: Int = 16, maxDriftMillis: UInt64 = WireLimits.defaultMaxDriftMillis,
        logger: Logger = Logger(label: "fieldsync.postgres"), catalogue: CommuneCatalogue = .shared, clock: any HubClock = SystemClock(),
        _ body: (PostgresHubStore) async throws -> T
    ) async throws -> T {
        let location = try PostgresLocation(url: url)
        // The pool logs its own trouble at error level; our operations log through `logger`.
        var background = logger
        background.logLevel = max(logger.logLevel, .error)
        let client = PostgresClient(configuration: location.configuration(connections: connections), backgroundLogger: background)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            let identity: (ReplicaID, String)
            do {
                identity = try await translating { try await migrate(client, logger: logger) }
            } catch HubError.unavailable {
                throw HubError.unavailable("cannot reach the PostgreSQL database \(location.redacted): check that it runs, "
                                           + "and the host, port, user, password and database of the URL")
            }
            let store = PostgresHubStore(client: client, logger: logger, location: location.redacted, identity: identity,
                                         maxDriftMillis: maxDriftMillis, catalogue: catalogue, clock: clock)
            return try await body(store)
        }
    }

    /// Runs `body` in one transaction, again from the start after a serialization failure or deadlock.
    @discardableResult
    func connectionTransaction<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        var attempt = 1
        while true {
            do {
                return try await inTransaction("BEGIN", body)
            } catch let error as RetryableFailure where attempt < Self.attempts {
                attempt += 1
                logger.debug("transaction retried", metadata: ["sqlState": "\(error.sqlState)", "attempt": "\(attempt)"])
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...(5 << min(attempt, 6)))))
            } catch let error as RetryableFailure {
                throw HubError.unavailable("the hub's database stayed busy (\(error.sqlState)): retry in a moment")
            }
        }
    }

    /// Runs reads in one snapshot (a report's totals and lines agree, a pull's bound holds).
    func connectionSnapshot<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
    }

    private func inTransaction<T: Sendable>(_ begin: PostgresQuery, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.translating {
            try await client.withConnection { connection in
                try await connection.query(begin, logger: logger)
                do {
                    let result = try await body(connection)
                    try await connection.query("COMMIT", logger: logger)
                    return result
                } catch {
                    // Losing this error is safe: the transaction failed already and that error is thrown; the rollback only ends it.
                    _ = try? await connection.query("ROLLBACK", logger: logger)
                    throw error
                }
            }
        }
    }

    /// A single statement outside a transaction (a token check per request).
    func single<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await Self.translating { try await client.withConnection { try await body($0) } }
    }

    /// Maps PostgreSQL's failures to the hub's errors: retryable ones to `RetryableFailure`, the rest
    /// to `HubError.unavailable` (people can retry) or `.storage` (the detail goes to the operator's log).
    static func translating<T>(_ body: () async throws -> T) async throws -> T {
        let unreachable = "the hub cannot reach its database: retry in a moment"
        do {
            return try await body()
        } catch let error as HubError {
            throw error
        } catch let error as RetryableFailure {
            throw error
        } catch let error as PSQLError {
            let state = error.serverInfo?[.sqlState] ?? ""
            switch state {
            case "40001", "40P01": throw RetryableFailure(sqlState: state)
            case "53100": throw HubError.unavailable("the hub database's disk is full: nothing was saved; retry once an operator frees space")
            case "57P01", "57P02", "57P03", "08000", "08003", "08006": throw HubError.unavailable("the hub's database is restarting: retry in a moment")
            case "": throw HubError.unavailable(unreachable)
            default:
                throw HubError.storage(detail: "\(state) \(error.serverInfo?[.message] ?? "\(error)")")
            }
        } catch let error as PostgresDecodingError {
            throw HubError.storage(detail: "\(error)")
        } catch let error as EncodingError {
            throw HubError.storage(detail: "\(error)")
        } catch let error as DecodingError {
            throw HubError.storage(detail: "\(error)")
        } catch let error as CancellationError {
            throw error
        } catch {
            // The connection pool's own failures (no connection could be made in time).
            throw HubError.unavailable(unreachable)
        }
    }
}

extension PostgresHubStore: HubEngine {
    public func transaction<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await connectionTransaction { try await body(PostgresSession(connection: $0, logger: logger)) }
    }

    public func erasing<T: Sendable>(_ tables: [String], _ body: () async throws -> T) async throws -> T {
        let result = try await body()
        // The old row versions hold the erased bytes until vacuumed (README, "Erasure").
        if !tables.isEmpty { try await vacuum(tables) }
        return result
    }

    /// Vacuums tables after an erasure or a compaction: the dead row versions that still held the citizen's or the deleted
    /// visits' values go (outside any transaction, as VACUUM must run). The quarantine, small and bounded per device, is
    /// rewritten whole (VACUUM FULL: not even the free space of its old file keeps a payload).
    func vacuum(_ tables: [String]) async throws {
        try await single { connection in
            for table in tables where ["records", "conflicts", "quarantine", "forgotten"].contains(table) {
                let full = table == "quarantine" ? "FULL " : ""
                _ = try await connection.query(PostgresQuery(unsafeSQL: "VACUUM \(full)\(table)"), logger: self.logger)
            }
        }
    }


    public func quickRead<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await single { try await body(PostgresSession(connection: $0, logger: logger)) }
    }

    public func snapshot<T: Sendable>(_ body: (PostgresSession) async throws -> T) async throws -> T {
        try await connectionSnapshot { try await body(PostgresSession(connection: $0, logger: logger)) }
    }
}

/// A transaction PostgreSQL aborted that succeeds when run again (serialization failure, deadlock).
struct RetryableFailure: Error {
    let sqlState: String
}
