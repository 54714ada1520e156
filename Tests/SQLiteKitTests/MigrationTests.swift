import FieldSyncTesting
import Testing
@testable import SQLiteKit

@Suite struct MigrationTests {
    let dir = TemporaryDirectory()
    let steps = [
        Migration(version: 1, sql: "CREATE TABLE a (x INTEGER)"),
        Migration(version: 2, sql: "ALTER TABLE a ADD COLUMN y TEXT; CREATE TABLE b (z INTEGER)"),
    ]

    @Test func migratesFromEmptyToLatest() throws {
        let db = try Database(path: dir.file("m.sqlite"))
        #expect(try db.userVersion == 0)
        #expect(try db.migrate(steps) == 2)
        #expect(try db.userVersion == 2)
        try db.run("INSERT INTO a (x, y) VALUES (1, 'one')")
        try db.run("INSERT INTO b (z) VALUES (1)")
    }

    @Test func twoProcessesOpeningAnOldFileAtOnceMigrateItOnce() async throws {
        // Many non-repeatable steps, applied from two connections at the same time: without the version
        // re-read under the write lock, the second would add a column the first already added.
        let many = [Migration(version: 1, sql: "CREATE TABLE t (c0 INTEGER)")]
            + (2...60).map { Migration(version: $0, sql: "ALTER TABLE t ADD COLUMN c\($0) INTEGER") }
        for round in 0..<4 {
            let path = dir.file("race-\(round).sqlite")
            _ = try Database(path: path)
            let results = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<2 {
                    group.addTask { try Database(path: path).migrate(many) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results == [60, 60])
            #expect(try Database(path: path).query("PRAGMA table_info(t)") { $0.text(1) ?? "" }.count == 60)
        }
    }

    @Test func migratesOnlyTheMissingSteps() throws {
        let db = try Database(path: dir.file("m.sqlite"))
        try db.migrate(Array(steps.prefix(1)))
        try db.run("INSERT INTO a (x) VALUES (7)")
        try db.migrate(steps)
        #expect(try db.query("SELECT x, y FROM a") { [$0.value(0), $0.value(1)] } == [[.integer(7), .null]])
    }

    @Test func failedStepLeavesVersionAndSchemaAsBefore() throws {
        let db = try Database(path: dir.file("m.sqlite"))
        try db.migrate(Array(steps.prefix(1)))
        let broken = steps.prefix(1) + [Migration(version: 2, sql: "CREATE TABLE c (x); CREATE TABLE a (x)")]
        #expect(throws: SQLiteError.self) { try db.migrate(Array(broken)) }
        #expect(try db.userVersion == 1)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master WHERE name = 'c'") == 0)
    }

    @Test func refusesANewerSchemaWithoutTouchingIt() throws {
        let db = try Database(path: dir.file("m.sqlite"))
        try db.execute("PRAGMA user_version = 9")
        #expect(throws: MigrationError.schemaTooNew(found: 9, supported: 2)) { try db.migrate(steps) }
        #expect(try db.userVersion == 9)
        #expect(try db.scalarInt("SELECT count(*) FROM sqlite_master") == 0)
    }
}
