import FieldModel
import SyncCore

/// A storage engine of the hub: how it runs a transaction and a read snapshot. Every hub operation is written once,
/// in HubCore, against the `Session` these hand out (HubSQLite: one writer and a reader pool with group commit;
/// HubPostgres: a connection pool shared by any number of hub processes).
public protocol HubEngine: Sendable {
    associatedtype Session: HubSession
    /// The hub's own replica id (for hub-authored writes), the same in every process on one store.
    var hubReplica: ReplicaID { get }
    /// How far ahead of the hub's clock a stamp may be.
    var maxDriftMillis: UInt64 { get }
    /// The administrative units visits are checked against.
    var catalogue: CommuneCatalogue { get }
    /// The clock every time-dependent operation reads.
    var clock: any HubClock { get }
    /// Runs `body` in one transaction: committed if it returns, rolled back if it throws.
    func transaction<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T
    /// Runs `body` (transactions of its own); once it returns, none of the bytes it overwrote or deleted in `tables`
    /// remain in the store's files (SQLite: secure_delete and a truncated WAL; PostgreSQL: the tables vacuumed, the
    /// small quarantine rewritten whole).
    func erasing<T: Sendable>(_ tables: [String], _ body: () async throws -> T) async throws -> T
    /// Runs a few reads outside any transaction, each seeing the latest commit, on a connection that never waits
    /// behind a long report (a token check per request: SQLite keeps a reader for them).
    func quickRead<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T
    /// Runs reads in one snapshot (a report's totals and lines agree, a pull's bound holds).
    func snapshot<T: Sendable>(_ body: (Session) async throws -> T) async throws -> T

    // Report queries each engine answers its own way, for speed.

    /// The live visits each device logged in the filter's period (its place: the devices of that place).
    func visitsPerDevice(_ filter: ReportFilter, devices: [Device], in session: Session) async throws -> [String: Int]
}

extension HubEngine {
    /// Runs `body` in one transaction that leaves none of the bytes it overwrote or deleted in `tables` (`erasing`).
    public func transaction<T: Sendable>(erasingFrom tables: [String], _ body: (Session) async throws -> T) async throws -> T {
        try await erasing(tables) { try await transaction(body) }
    }

    /// The merge planner for this engine's hub.
    package var planner: MergePlanner { MergePlanner(hubReplica: hubReplica, maxDriftMillis: maxDriftMillis, catalogue: catalogue) }
}
