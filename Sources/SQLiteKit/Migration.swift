/// One step of a schema, applied once, in order, and recorded in `PRAGMA user_version`.
public struct Migration: Sendable {
    /// The schema version this step brings the database to (1, 2, …).
    public let version: Int
    /// The SQL that performs it.
    public let sql: String

    /// Makes a migration step.
    public init(version: Int, sql: String) {
        self.version = version
        self.sql = sql
    }
}

/// Why a database's schema cannot be used by this program.
public enum MigrationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file was written by a newer program that knows more schema versions.
    case schemaTooNew(found: Int, supported: Int)

    public var description: String {
        switch self {
        case .schemaTooNew(let found, let supported):
            "the database has schema version \(found) but this program knows only up to \(supported): "
                + "it was written by a newer FieldSync; install the newer version"
        }
    }
}

extension Database {
    /// The schema version recorded in the file (0 for a new database).
    public var userVersion: Int {
        get throws { try scalarInt("PRAGMA user_version") ?? 0 }
    }

    /// Applies every migration above the file's version, each in its own transaction. Several
    /// processes opening one old file at once migrate it once: each step re-reads the version under
    /// the write lock and skips what another process already applied.
    /// - Returns: the version the database is at afterwards.
    /// - Throws: `MigrationError.schemaTooNew` (without touching the file) when the file is newer.
    @discardableResult
    public func migrate(_ migrations: [Migration]) throws -> Int {
        let latest = migrations.map(\.version).max() ?? 0
        let current = try userVersion
        guard current <= latest else { throw MigrationError.schemaTooNew(found: current, supported: latest) }
        for migration in migrations.sorted(by: { $0.version < $1.version }) where migration.version > current {
            try transaction {
                guard try userVersion < migration.version else { return }
                try execute(migration.sql)
                try execute("PRAGMA user_version = \(migration.version)")
            }
        }
        return max(current, latest)
    }
}
