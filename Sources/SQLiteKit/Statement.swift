import CSQLite

/// A prepared statement: bind typed values, step through rows, read typed columns.
///
/// - Note: A statement belongs to its `Database` and is used from the same owner; it is not `Sendable`.
public final class Statement {
    let handle: OpaquePointer
    /// The SQL text it was prepared from.
    public let sql: String
    private let connection: OpaquePointer

    init(connection: OpaquePointer, sql: String) throws {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else {
            throw SQLiteError(connection: connection, code: code, sql: sql)
        }
        self.handle = statement
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds values to the parameters `?1…?n`, after clearing earlier bindings.
    public func bind(_ values: [SQLValue]) throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the 1-based parameter `index`.
    public func bind(_ value: SQLValue, at index: Int32) throws {
        let code: Int32
        switch value {
        case .null: code = sqlite3_bind_null(handle, index)
        case .integer(let v): code = sqlite3_bind_int64(handle, index, v)
        case .real(let v): code = sqlite3_bind_double(handle, index, v)
        case .text(let v) where v.isEmpty:
            code = fieldsync_bind_text(handle, index, "", 0)
        case .text(let v):
            var v = v
            code = v.withUTF8 { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    fieldsync_bind_text(handle, index, $0.baseAddress, Int32($0.count))
                }
            }
        case .blob(let v) where v.isEmpty:
            code = sqlite3_bind_zeroblob(handle, index, 0)
        case .blob(let v):
            code = v.withUnsafeBytes { fieldsync_bind_blob(handle, index, $0.baseAddress, Int32($0.count)) }
        }
        guard code == SQLITE_OK else { throw SQLiteError(connection: connection, code: code, sql: sql) }
    }

    /// Advances to the next row; returns false when there are no more.
    @discardableResult
    public func step() throws -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(connection: connection, code: code, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    /// Rewinds the statement so it can run again (bindings are kept).
    public func reset() { sqlite3_reset(handle) }

    /// Binds the values, runs the statement to completion and rewinds it.
    public func execute(_ values: [SQLValue] = []) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() {}
    }

    /// Binds the values and calls `row` for each result row, collecting what it returns.
    /// Runs the statement and hands each row to `row` as it is read (constant memory, however many rows).
    public func forEach(_ values: [SQLValue] = [], row: (Statement) throws -> Void) throws {
        try bind(values)
        defer { sqlite3_reset(handle) }
        while try step() { try row(self) }
    }

    public func query<T>(_ values: [SQLValue] = [], row: (Statement) throws -> T) throws -> [T] {
        try bind(values)
        defer { sqlite3_reset(handle) }
        var rows: [T] = []
        while try step() { rows.append(try row(self)) }
        return rows
    }

    // MARK: - Columns by name

    /// Result column name → position, read from the statement once.
    private lazy var columnIndexes: [String: Int32] = {
        Dictionary((0..<columnCount).map { (columnName($0), $0) }, uniquingKeysWith: { first, _ in first })
    }()

    /// The position of a result column; a name the statement does not select is a programming error.
    /// The index of a named column, nil when the statement has none of that name.
    public func columnIndex(_ name: String) -> Int32? { columnIndexes[name] }

    public func index(of name: String) -> Int32 {
        guard let index = columnIndexes[name] else { preconditionFailure("no column \(name) in: \(sql)") }
        return index
    }

    /// The named column as text, or nil for NULL.
    public func text(_ name: String) -> String? { text(index(of: name)) }
    /// The named column as a 64-bit integer (0 for NULL).
    public func int64(_ name: String) -> Int64 { int64(index(of: name)) }
    /// The named column as an Int (0 for NULL).
    public func int(_ name: String) -> Int { int(index(of: name)) }
    /// The named column as bytes, or nil for NULL.
    public func blob(_ name: String) -> [UInt8]? { blob(index(of: name)) }
    /// Whether the named column is NULL.
    public func isNull(_ name: String) -> Bool { isNull(index(of: name)) }

    // MARK: - Columns (0-based)

    /// Whether the column of the current row is NULL.
    public func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    /// The column as a 64-bit integer (0 for NULL).
    public func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// The column as an Int (0 for NULL).
    public func int(_ column: Int32) -> Int { Int(sqlite3_column_int64(handle, column)) }

    /// The column as a Double (0 for NULL).
    public func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column as text, or nil for NULL.
    public func text(_ column: Int32) -> String? {
        guard let pointer = sqlite3_column_text(handle, column) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: pointer, count: count), as: UTF8.self)
    }

    /// The column as bytes, or nil for NULL.
    public func blob(_ column: Int32) -> [UInt8]? {
        if isNull(column) { return nil }
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    /// The column as a generic value.
    public func value(_ column: Int32) -> SQLValue {
        switch sqlite3_column_type(handle, column) {
        case SQLITE_INTEGER: return .integer(int64(column))
        case SQLITE_FLOAT: return .real(double(column))
        case SQLITE_TEXT: return .text(text(column) ?? "")
        case SQLITE_BLOB: return .blob(blob(column) ?? [])
        default: return .null
        }
    }

    /// The number of columns in a result row.
    public var columnCount: Int32 { sqlite3_column_count(handle) }

    /// The name of a result column.
    public func columnName(_ column: Int32) -> String { String(cString: sqlite3_column_name(handle, column)) }
}
