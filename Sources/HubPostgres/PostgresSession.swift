import Foundation
import HubCore
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// A transaction or snapshot on one pooled PostgreSQL connection.
public struct PostgresSession: HubSession {
    let connection: PostgresConnection
    let logger: Logger
    /// Rows this transaction wrote to `records` so far: each takes the change number `(transaction id << 16) + n`.
    private let written = Written()

    private final class Written: Sendable {
        let count = Mutex(0)
        /// The transaction's first change number, once read.
        let base = Mutex<UInt64?>(nil)
    }

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    public var dialect: SQLDialect { .postgres }
    public var pushesKeepHubClock: Bool { false }

    /// The commit-safe pull cursor (Protocol/README.md §7). Several hub processes write at once, and a counter taken
    /// inside a transaction can commit after a larger one: a cursor taken from it would pass a row still being
    /// written, and that row would never be pulled. Here a change's number is `(id of the transaction that wrote it
    /// << 16) + its place in that transaction`, and a pull returns only changes of transactions older than the oldest
    /// one still running: every such transaction has committed or rolled back, so no change can later appear below a
    /// cursor a pull has handed out.
    public var committedChangesBound: String? { "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)" }

    public func reserveChangeNumbers(_ count: Int) async throws -> UInt64 {
        let first = written.count.withLock { written in
            defer { written += count }
            return written
        }
        return try await changeNumberBase() + UInt64(first)
    }

    /// This transaction's first change number: its id shifted left 16 bits.
    private func changeNumberBase() async throws -> UInt64 {
        if let known = written.base.withLock({ $0 }) { return known }
        var base: Int64 = 0
        for try await value in try await connection.query("SELECT pg_current_xact_id()::text::bigint << 16", logger: logger)
            .decode(Int64.self) { base = value }
        written.base.withLock { $0 = UInt64(clamping: base) }
        return UInt64(clamping: base)
    }

    public func execute(_ sql: String, _ values: [HubValue]) async throws {
        try await connection.query(Self.query(sql, values), logger: logger)
    }

    public func insertRows(into table: String, columns: [String], rows: [[HubValue]], conflict: String) async throws {
        guard !rows.isEmpty else { return }
        // One statement: a typed array per column, read back as rows by unnest (a column with a NULL goes as text
        // arrays cannot carry, so such rows go as a JSON array read by jsonb_to_recordset).
        var binds = PostgresBindings(capacity: columns.count)
        var types: [String] = []
        for (i, _) in columns.enumerated() {
            let column = rows.map { i < $0.count ? $0[i] : .null }
            if let numbers = column.map({ value -> Int64? in if case .integer(let n) = value { n } else { nil } }) as [Int64?]?,
               numbers.allSatisfy({ $0 != nil }) {
                binds.append(numbers.compactMap { $0 })
                types.append("bigint[]")
            } else if let texts = column.map({ value -> String? in if case .text(let t) = value { t } else { nil } }) as [String?]?,
                      texts.allSatisfy({ $0 != nil }) {
                binds.append(texts.compactMap { $0 })
                types.append("text[]")
            } else {
                return try await insertJSON(into: table, columns: columns, rows: rows, conflict: conflict)
            }
        }
        let list = columns.joined(separator: ", ")
        let arrays = types.enumerated().map { "$\($0.offset + 1)::\($0.element)" }.joined(separator: ", ")
        try await connection.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (\(list)) SELECT * FROM unnest(\(arrays)) \(conflict)",
                                                 binds: binds), logger: logger)
    }

    /// `insertRows` for rows with NULLs: a JSON array read by jsonb_to_recordset, each column typed by its values.
    private func insertJSON(into table: String, columns: [String], rows: [[HubValue]], conflict: String) async throws {
        var types: [String] = Array(repeating: "text", count: columns.count)
        for row in rows {
            for (i, value) in row.enumerated() where i < types.count {
                if case .integer = value { types[i] = "bigint" }
            }
        }
        var objects: [[String: Any]] = []
        objects.reserveCapacity(rows.count)
        for row in rows {
            var object: [String: Any] = [:]
            for (i, value) in row.enumerated() where i < columns.count {
                switch value {
                case .integer(let n): object[columns[i]] = n
                case .text(let text): object[columns[i]] = text
                case .real(let x): object[columns[i]] = x
                case .null: object[columns[i]] = NSNull()
                case .blob, .texts, .integers: throw HubError.storage(detail: "insertRows takes integers, texts and NULLs")
                }
            }
            objects.append(object)
        }
        let json = String(decoding: try JSONSerialization.data(withJSONObject: objects), as: UTF8.self)
        let list = columns.joined(separator: ", ")
        let record = zip(columns, types).map { "\($0) \($1)" }.joined(separator: ", ")
        var binds = PostgresBindings()
        binds.append(json)
        try await connection.query(PostgresQuery(unsafeSQL: """
            INSERT INTO \(table) (\(list)) SELECT \(list) FROM jsonb_to_recordset($1::jsonb) AS x(\(record)) \(conflict)
            """, binds: binds), logger: logger)
    }

    public func query(_ sql: String, _ values: [HubValue]) async throws -> [HubValues] {
        var rows: [HubValues] = []
        var names: [String: Int]?
        for try await row in try await connection.query(Self.query(sql, values), logger: logger) {
            let lookup = names ?? HubValues.lookup(row.map(\.columnName))
            names = lookup
            rows.append(HubValues(names: lookup, values: try row.map(Self.value)))
        }
        return rows
    }

    public func lock(records ids: [String]) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest(\(ids)::text[]) WITH ORDINALITY AS x(id, n) ORDER BY n
            """, logger: logger)
    }

    public func lock(named name: String) async throws {
        try await connection.query("SELECT pg_advisory_xact_lock(hashtextextended(\("fieldsync:" + name), 0))", logger: logger)
    }

    public func writeRecords(_ writes: [RecordWrite]) async throws -> UInt64 {
        guard !writes.isEmpty else { return 0 }
        // One row per visit: a statement cannot upsert one row twice, and a push that names a visit twice writes its last state.
        var last: [String: Int] = [:]
        for (index, write) in writes.enumerated() { last[write.visit.id] = index }
        let first = written.count.withLock { $0 }
        let rows = try writes.enumerated().filter { last[$0.element.visit.id] == $0.offset }.enumerated().map { n, item in
            try RecordRow(first + n, item.element.visit, state: item.element.state, device: item.element.device, now: item.element.at,
                      sentIn: item.element.sentIn)
        }
        var binds = PostgresBindings()
        binds.append(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self))
        try await connection.query(PostgresQuery(unsafeSQL: RecordRow.upsertSQL, binds: binds), logger: logger)
        written.count.withLock { $0 = first + rows.count }
        return try await changeNumberBase() + UInt64(first + rows.count - 1)
    }

    /// `sql` with its `?` placeholders numbered (`$1`, `$2`, …) and `values` bound.
    static func query(_ sql: String, _ values: [HubValue]) -> PostgresQuery {
        var text = ""
        text.reserveCapacity(sql.utf8.count + 8)
        var n = 0
        for part in sql.split(separator: "?", omittingEmptySubsequences: false) {
            if n > 0 {
                text += "$\(n)"
                // A list is typed: the planner then matches it against the column's index as it would a literal array.
                if n <= values.count, case .texts = values[n - 1] { text += "::text[]" }
                if n <= values.count, case .integers = values[n - 1] { text += "::bigint[]" }
            }
            text += part
            n += 1
        }
        var binds = PostgresBindings(capacity: values.count)
        for value in values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .real(let number): binds.append(number)
            case .text(let string): binds.append(string)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .texts(let strings): binds.append(strings)
            case .integers(let numbers): binds.append(numbers)
            }
        }
        return PostgresQuery(unsafeSQL: text, binds: binds)
    }

    /// A cell as the hub's value of its type (a NULL of any type reads as `.null`).
    static func value(_ cell: PostgresCell) throws -> HubValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8, .oid: return .integer(try cell.decode(Int64.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bytea: return .blob(Array(try cell.decode(ByteBuffer.self).readableBytesView))
        default: return .text(try cell.decode(String.self))
        }
    }
}

