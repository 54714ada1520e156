import CSQLite
import Platform

/// One connection to a SQLite database file, configured for FieldSync: WAL, foreign keys, busy timeout.
///
/// - Note: A connection is owned by one thread or actor at a time; it is not `Sendable`.
public final class Database {
    /// How to open the file.
    public enum OpenMode: Sendable {
        /// Read and write; the file must already exist.
        case readWrite
        /// Read and write, creating the file if it is missing.
        case readWriteCreate
        /// Read only.
        case readOnly
    }

    /// How hard SQLite syncs to disk on commit.
    public enum Durability: String, Sendable {
        /// fsync on every commit: a committed transaction survives a power cut.
        case full = "FULL"
        /// fsync at checkpoints only: survives a process crash, not a power cut.
        case normal = "NORMAL"
        /// No fsync at all: for throwaway benchmark and test databases.
        case off = "OFF"
    }

    let handle: OpaquePointer
    /// The file this connection opened.
    public let path: String
    private var cache: [String: Statement] = [:]
    private var savepointDepth = 0

    /// Opens (or creates) the database at `path`.
    /// - Parameters:
    ///   - mode: whether the file must exist, may be created, or is read only.
    ///   - durability: the `synchronous` level for writes.
    ///   - busyTimeout: milliseconds to wait for another writer before failing with `SQLITE_BUSY`.
    ///   - checkpointOnClose: whether closing the last connection folds the WAL back into the file
    ///     (three fsyncs); without it the WAL stays beside the file and is checkpointed every 100 pages: the next
    ///     process to open the file reads the whole WAL back (SQLite's recovery), so a short one keeps start-up fast.
    public init(path: String, mode: OpenMode = .readWriteCreate, durability: Durability = .full,
                busyTimeout: Int32 = 5_000, checkpointOnClose: Bool = true) throws {
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        switch mode {
        case .readWrite: flags |= SQLITE_OPEN_READWRITE
        case .readWriteCreate: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        case .readOnly: flags |= SQLITE_OPEN_READONLY
        }
        if mode != .readOnly { Self.makePrivate(path, create: mode == .readWriteCreate) }
        var connection: OpaquePointer?
        let code = sqlite3_open_v2(path, &connection, flags, nil)
        guard code == SQLITE_OK, let connection else {
            let error = SQLiteError(connection: connection, code: code)
            sqlite3_close_v2(connection)
            throw error
        }
        self.handle = connection
        self.path = path
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeout)
        if !checkpointOnClose { _ = fieldsync_db_config_int(connection, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1) }
        do {
            try execute("PRAGMA foreign_keys = ON")
            if mode != .readOnly {
                // Reading the header first surfaces "not a database" before WAL is tried.
                _ = try scalarInt("PRAGMA user_version")
                try execute("PRAGMA journal_mode = WAL")
                try execute("PRAGMA synchronous = \(durability.rawValue)")
                if !checkpointOnClose { try execute("PRAGMA wal_autocheckpoint = 100; PRAGMA journal_size_limit = 1048576") }
            }
        } catch {
            cache.removeAll()
            sqlite3_close_v2(connection)
            throw error
        }
    }

    /// Creates the file readable and writable by its owner only (0600), or narrows an existing one and
    /// its WAL and shared-memory files to that: they hold personal data and tokens. SQLite gives the
    /// WAL and shared-memory files it creates the database file's own mode. Best effort: a failure
    /// here (a path SQLite will refuse anyway, a file owned by someone else) surfaces when SQLite opens it.
    static func makePrivate(_ path: String, create: Bool) {
        guard !path.isEmpty, path != ":memory:" else { return }
        if create, PrivateFile.createEmpty(path) { return }
        PrivateFile.restrict([path, path + "-wal", path + "-shm"])
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Runs one or more SQL statements that take no parameters and return nothing needed.
    public func execute(_ sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            throw SQLiteError(code: code, extendedCode: sqlite3_extended_errcode(handle), message: text, sql: sql,
                              systemErrno: sqlite3_system_errno(handle))
        }
    }

    /// Prepares a new statement the caller owns.
    public func prepare(_ sql: String) throws -> Statement {
        try Statement(connection: handle, sql: sql)
    }

    /// Returns a prepared statement for `sql`, reusing one prepared earlier on this connection.
    public func cached(_ sql: String) throws -> Statement {
        if let statement = cache[sql] {
            statement.reset()
            return statement
        }
        let statement = try prepare(sql)
        cache[sql] = statement
        return statement
    }

    /// Runs a statement with parameters, for its effect.
    public func run(_ sql: String, _ values: [SQLValue] = []) throws {
        try cached(sql).execute(values)
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ values: [SQLValue] = [], row: (Statement) throws -> T) throws -> [T] {
        try cached(sql).query(values, row: row)
    }

    /// Runs a query and returns the first column of the first row as an integer (nil when no row or NULL).
    public func scalarInt(_ sql: String, _ values: [SQLValue] = []) throws -> Int? {
        try query(sql, values) { $0.isNull(0) ? nil : $0.int(0) }.first ?? nil
    }

    /// Runs a query and returns the first column of the first row as text (nil when no row or NULL).
    public func scalarText(_ sql: String, _ values: [SQLValue] = []) throws -> String? {
        try query(sql, values) { $0.text(0) }.first ?? nil
    }

    /// Folds the WAL back into the database file and empties it, so the file alone holds every commit.
    public func checkpoint() throws {
        try execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Whether a transaction is open on this connection.
    public var isInTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Runs `body` in a read transaction (`BEGIN DEFERRED`): every statement in it sees one snapshot
    /// of the database, even while another connection commits. Nested calls run in the outer one.
    public func snapshot<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction { return try body() }
        try execute("BEGIN DEFERRED")
        defer {
            // Losing this error is safe: a read transaction has nothing to commit; ending it cannot lose data.
            try? execute("COMMIT")
        }
        return try body()
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    ///
    /// The outermost level is `BEGIN IMMEDIATE`, so a writer takes the write lock up front and never
    /// fails half way on an upgrade; nested calls become savepoints.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if isInTransaction {
            savepointDepth += 1
            let name = "fs_sp\(savepointDepth)"
            defer { savepointDepth -= 1 }
            try execute("SAVEPOINT \(name)")
            do {
                let result = try body()
                try execute("RELEASE \(name)")
                return result
            } catch {
                // Losing this error is safe: the original error is rethrown; a failed rollback leaves SQLite to roll back at close.
                try? execute("ROLLBACK TO \(name); RELEASE \(name)")
                throw error
            }
        }
        try execute("BEGIN IMMEDIATE")
        do {
            let result = try body()
            try execute("COMMIT")
            return result
        } catch {
            // Losing this error is safe: the original error is rethrown; a failed rollback leaves SQLite to roll back at close.
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
    }
}
