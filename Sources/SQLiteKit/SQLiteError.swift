import CSQLite
import Platform

/// An error SQLite reported, with its result codes, its own message and the SQL that failed.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The primary result code (`SQLITE_FULL`, `SQLITE_BUSY`, …).
    public let code: ResultCode
    /// The extended result code, which says more (`SQLITE_IOERR_WRITE`, …).
    public let extendedCode: Int32
    /// SQLite's own message.
    public let message: String
    /// The statement that failed, when there was one.
    public let sql: String?
    /// The operating system's `errno` behind an I/O error (0 when none).
    public let systemErrno: Int32

    /// Makes an error from explicit parts.
    public init(code: Int32, extendedCode: Int32? = nil, message: String, sql: String? = nil, systemErrno: Int32 = 0) {
        self.code = ResultCode(rawValue: code & 0xff)
        self.extendedCode = extendedCode ?? code
        self.message = message
        self.sql = sql
        self.systemErrno = systemErrno
    }

    /// Reads the last error of a connection.
    init(connection: OpaquePointer?, code: Int32, sql: String? = nil) {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
            ?? String(cString: sqlite3_errstr(code))
        let extended = connection.map { sqlite3_extended_errcode($0) } ?? code
        self.init(code: code, extendedCode: extended, message: message, sql: sql,
                  systemErrno: connection.map { sqlite3_system_errno($0) } ?? 0)
    }

    public var description: String {
        var text = "SQLite error \(code.rawValue) (\(message))"
        if let sql { text += " in «\(sql.prefix(120))»" }
        return text
    }

    /// Whether the error means the disk (or the database's size limit) is full.
    public var isDiskFull: Bool { code == .full || SystemError.isNoSpace(systemErrno) }
    /// Whether the error means the file or its folder cannot be written.
    public var isReadOnly: Bool {
        code == .readonly || code == .perm || SystemError.isReadOnlyOrDenied(systemErrno)
            || (code == .cantopen && !SystemError.isMissing(systemErrno))
    }
}

/// A primary SQLite result code, matchable with `~=` in `catch` clauses.
public struct ResultCode: RawRepresentable, Hashable, Sendable {
    /// The raw SQLite value.
    public let rawValue: Int32
    /// Makes a code from SQLite's value.
    public init(rawValue: Int32) { self.rawValue = rawValue }

    public static let error = ResultCode(rawValue: SQLITE_ERROR)
    public static let perm = ResultCode(rawValue: SQLITE_PERM)
    public static let busy = ResultCode(rawValue: SQLITE_BUSY)
    public static let locked = ResultCode(rawValue: SQLITE_LOCKED)
    public static let readonly = ResultCode(rawValue: SQLITE_READONLY)
    public static let ioerr = ResultCode(rawValue: SQLITE_IOERR)
    public static let corrupt = ResultCode(rawValue: SQLITE_CORRUPT)
    public static let full = ResultCode(rawValue: SQLITE_FULL)
    public static let cantopen = ResultCode(rawValue: SQLITE_CANTOPEN)
    public static let constraint = ResultCode(rawValue: SQLITE_CONSTRAINT)
    public static let notadb = ResultCode(rawValue: SQLITE_NOTADB)

    /// Lets `catch let error where ResultCode.full ~= error` read naturally.
    public static func ~= (pattern: ResultCode, error: any Error) -> Bool {
        (error as? SQLiteError)?.code == pattern
    }
}
