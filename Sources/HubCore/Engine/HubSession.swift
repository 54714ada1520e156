import FieldModel
import SyncCore

/// One transaction, or one read snapshot, on a hub store: the primitives the core's operations are written
/// with. SQL shared by the engines goes through `execute` and `query` (with `dialect` for what it spells
/// differently); what an engine must do its own way, for correctness or speed, is a named primitive here.
public protocol HubSession: Sendable {
    /// How this engine spells what SQL does not share.
    var dialect: SQLDialect { get }
    /// Runs a statement with `?` placeholders (a count of the rows it changed is a query with `RETURNING`).
    func execute(_ sql: String, _ values: [HubValue]) async throws
    /// Inserts rows into a table in one go (SQLite: one prepared statement in a loop; PostgreSQL: one statement),
    /// `conflict` the statement's `ON CONFLICT …` clause, or empty. Values are integers, texts or NULLs.
    func insertRows(into table: String, columns: [String], rows: [[HubValue]], conflict: String) async throws
    /// Runs a query; each row is read back by column name.
    func query(_ sql: String, _ values: [HubValue]) async throws -> [HubValues]
    /// Locks these records until the transaction ends, in the order given (sorted by the caller: no deadlock).
    /// SQLite's one writer holds the store already; PostgreSQL takes advisory locks, new ids too.
    func lock(records: [String]) async throws
    /// Makes the transactions that take the lock of this name take turns until they end (appenders of the audit log:
    /// the chain needs the previous line; uploaders of targets). SQLite's one writer takes turns already.
    func lock(named name: String) async throws
    /// Writes visit rows, each with the next change number of the store (§7: the pull cursor).
    /// - Returns: the change number a push answers with: the last one written (SQLite: the store's, written or
    ///   not; PostgreSQL: 0 when nothing was written).
    func writeRecords(_ rows: [RecordWrite]) async throws -> UInt64
    /// Reserves `count` consecutive change numbers in this transaction, after every change it wrote (a compacted visit's
    /// row in `forgotten`); returns the first.
    func reserveChangeNumbers(_ count: Int) async throws -> UInt64
    /// An SQL expression that every change number of a finished transaction is below, for a pull that must never pass a
    /// change still being written (PostgreSQL: the oldest running transaction's, §7); nil where changes commit in the
    /// order of their numbers (SQLite's one writer).
    var committedChangesBound: String? { get }
    /// Whether pushes read and advance the hub's clock row (SQLite's one writer); PostgreSQL's pushes leave it
    /// alone so that concurrent pushes never wait on one row (only hub writes lock it).
    var pushesKeepHubClock: Bool { get }
}

extension HubSession {
    /// Runs a statement that takes no values.
    public func execute(_ sql: String) async throws { try await execute(sql, []) }

    /// Runs a query that takes no values.
    public func query(_ sql: String) async throws -> [HubValues] { try await query(sql, []) }
}

/// A visit row to write: the visit, its sync state, who wrote it, and what it replaces (for the aggregates
/// an engine keeps).
public struct RecordWrite: Sendable {
    /// The visit as stored after the write.
    public var visit: Visit
    /// Its per-field sync state.
    public var state: RecordState
    /// The visit it replaces, nil for a new one.
    public var previous: Visit?
    /// The device whose push it is (`hub` for the hub's own writes).
    public var device: String
    /// When it was written (ISO 8601).
    public var at: String
    /// The device and sync session whose push the state is, exactly as sent; nil for a merge or a hub write.
    public var sentIn: String?

    public init(visit: Visit, state: RecordState, previous: Visit?, device: String, at: String, sentIn: String?) {
        (self.visit, self.state, self.previous, self.device, self.at, self.sentIn) = (visit, state, previous, device, at, sentIn)
    }
}
