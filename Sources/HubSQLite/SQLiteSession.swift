import HubCore
import SQLiteKit

/// A transaction or snapshot on one SQLite connection: the operation runs on the connection's queue, and each
/// primitive uses the store there directly.
public struct SQLiteSession: HubSession {
    let connection: SQLiteConnection

    public var dialect: SQLDialect { .sqlite }
    public var pushesKeepHubClock: Bool { true }
    // One writer: changes commit in the order of their numbers.
    public var committedChangesBound: String? { nil }

    public func execute(_ sql: String, _ values: [HubValue]) async throws {
        try connection.here { try $0.db.run(sql, values.map(Self.sqlValue)) }
    }

    public func insertRows(into table: String, columns: [String], rows: [[HubValue]], conflict: String) async throws {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(columns.map { _ in "?" }.joined(separator: ", "))) \(conflict)"
        try connection.here { store in
            let statement = try store.db.cached(sql)
            for row in rows { try statement.execute(row.map(Self.sqlValue)) }
        }
    }

    public func query(_ sql: String, _ values: [HubValue]) async throws -> [HubValues] {
        let bound = values.map(Self.sqlValue)
        return try connection.here { store in
            let statement = try store.db.cached(sql)
            let count = statement.columnCount
            let names = HubValues.lookup((0..<count).map(statement.columnName))
            return try statement.query(bound) { row in
                HubValues(names: names, values: (0..<count).map { Self.hubValue(row.value($0)) })
            }
        }
    }

    // SQLite has one writer: a transaction holds the whole store already.
    public func lock(records: [String]) async throws {}
    public func lock(named name: String) async throws {}

    public func writeRecords(_ rows: [RecordWrite]) async throws -> UInt64 {
        try connection.here { try $0.writeRecords(rows) }
    }

    public func reserveChangeNumbers(_ count: Int) async throws -> UInt64 {
        try connection.here { try $0.reserveChangeNumbers(count) }
    }

    /// Runs `body` in a savepoint: a failure rolls back what it wrote alone (a refused push in a group commit).
    func savepoint<T>(_ body: () async throws -> T) async throws -> T {
        try connection.here { try $0.db.execute("SAVEPOINT fs_push") }
        do {
            let result = try await body()
            try connection.here { try $0.db.execute("RELEASE fs_push") }
            return result
        } catch {
            try connection.here { try $0.db.execute("ROLLBACK TO fs_push; RELEASE fs_push") }
            throw error
        }
    }

    static func sqlValue(_ value: HubValue) -> SQLValue {
        switch value {
        case .null: .null
        case .integer(let n): .integer(n)
        case .real(let x): .real(x)
        case .text(let text): .text(text)
        case .blob(let bytes): .blob(bytes)
        case .texts(let texts): .text(Hub.jsonArray(texts))
        case .integers(let numbers): .text("[" + numbers.map(String.init).joined(separator: ",") + "]")
        }
    }

    static func hubValue(_ value: SQLValue) -> HubValue {
        switch value {
        case .null: .null
        case .integer(let n): .integer(n)
        case .real(let x): .real(x)
        case .text(let text): .text(text)
        case .blob(let bytes): .blob(bytes)
        }
    }
}
