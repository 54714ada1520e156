import Foundation
import FieldSyncTesting
import Testing
@testable import SQLiteKit

@Suite struct DatabaseTests {
    let dir = TemporaryDirectory()

    func open(_ name: String = "t.sqlite") throws -> Database { try Database(path: dir.file(name)) }

    @Test func opensWithWALForeignKeysAndBusyTimeout() throws {
        let db = try open()
        #expect(try db.scalarText("PRAGMA journal_mode") == "wal")
        #expect(try db.scalarInt("PRAGMA foreign_keys") == 1)
        #expect(try db.scalarInt("PRAGMA synchronous") == 2)  // FULL
    }

    @Test func bindsAndReadsEveryType() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, n TEXT)")
        let values: [SQLValue] = [.integer(-42), .real(2.5), .text("Nguyễn Văn Á 😀"), .blob([0, 1, 255]), .null]
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", values)
        try db.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", [.integer(Int64.max), 0.0, "", .blob([]), nil])
        let rows = try db.query("SELECT i, r, s, b, n FROM t ORDER BY rowid") { row in
            (0..<5).map { row.value(Int32($0)) }
        }
        #expect(rows[0] == values)
        #expect(rows[1] == [.integer(Int64.max), .real(0), .text(""), .blob([]), .null])
    }

    @Test func columnsReadByNameWhateverTheirOrder() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (a TEXT, b INTEGER, c BLOB)")
        try db.run("INSERT INTO t VALUES ('x', 7, x'0102')")
        for sql in ["SELECT a, b, c FROM t", "SELECT c, a, b FROM t", "SELECT b AS b, c, a FROM t"] {
            let read = try db.query(sql) { row in (row.text("a"), row.int("b"), row.blob("c"), row.isNull("a")) }
            #expect(read.count == 1 && read[0].0 == "x" && read[0].1 == 7 && read[0].2 == [1, 2] && !read[0].3, "\(sql)")
        }
        // Streaming reads hand rows over one at a time.
        var seen = 0
        try db.prepare("SELECT b FROM t").forEach { row in seen += row.int("b") }
        #expect(seen == 7)
    }

    @Test func emptyTextIsNotNull() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (s TEXT NOT NULL)")
        try db.run("INSERT INTO t VALUES (?)", [.text("")])
        #expect(try db.scalarInt("SELECT count(*) FROM t WHERE s = ''") == 1)
    }

    @Test func transactionRollsBackEverythingOnThrow() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (x INTEGER)")
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try db.transaction {
                try db.run("INSERT INTO t VALUES (1)")
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 0)
        #expect(!db.isInTransaction)
    }

    @Test func nestedTransactionRollsBackOnlyItsPart() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (x INTEGER)")
        struct Boom: Error {}
        try db.transaction {
            try db.run("INSERT INTO t VALUES (1)")
            _ = try? db.transaction {
                try db.run("INSERT INTO t VALUES (2)")
                throw Boom()
            }
        }
        #expect(try db.query("SELECT x FROM t") { $0.int(0) } == [1])
    }

    @Test func constraintErrorCarriesSQLitesMessageAndMatches() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (x INTEGER PRIMARY KEY)")
        try db.run("INSERT INTO t VALUES (1)")
        do {
            try db.run("INSERT INTO t VALUES (1)")
            Issue.record("expected a constraint error")
        } catch let error as SQLiteError {
            #expect(ResultCode.constraint ~= error)
            #expect(error.message.contains("UNIQUE constraint failed"))
            #expect(error.sql == "INSERT INTO t VALUES (1)")
            #expect(error.description.contains("UNIQUE"))
        }
    }

    @Test func syntaxErrorNamesTheStatement() throws {
        let db = try open()
        let error = #expect(throws: SQLiteError.self) { try db.prepare("SELEC 1") }
        #expect(error?.message.contains("syntax error") == true)
        #expect(error?.sql == "SELEC 1")
    }

    @Test func fullDatabaseReportsDiskFullAndKeepsCommittedRows() throws {
        let db = try open()
        try db.execute("CREATE TABLE t (b BLOB)")
        try db.run("INSERT INTO t VALUES (zeroblob(100))")
        let pages = try db.scalarInt("PRAGMA page_count") ?? 0
        try db.execute("PRAGMA max_page_count = \(pages + 2)")
        let error = #expect(throws: SQLiteError.self) {
            try db.transaction {
                for _ in 0..<100 { try db.run("INSERT INTO t VALUES (zeroblob(4000))") }
            }
        }
        #expect(error?.isDiskFull == true)
        #expect(try db.scalarInt("SELECT count(*) FROM t") == 1)
    }

    @Test func openingAMissingFileWithoutCreateFails() throws {
        let error = #expect(throws: SQLiteError.self) {
            try Database(path: dir.file("missing.sqlite"), mode: .readWrite)
        }
        #expect(error?.code == .cantopen)
    }

    @Test func openingAFileThatIsNotADatabaseFails() throws {
        try Data("this is not sqlite, just some text long enough to be a header........".utf8)
            .write(to: URL(fileURLWithPath: dir.file("text.sqlite")))
        let error = #expect(throws: SQLiteError.self) { try Database(path: dir.file("text.sqlite")) }
        #expect(error?.code == .notadb)
    }
}
