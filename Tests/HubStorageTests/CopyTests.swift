import FieldStore
import FieldSyncTesting
import Foundation
import HubPostgres
import HubServer
import HubCore
import HubSQLite
import SyncProtocol
import Testing

/// `fieldsync-server migrate`: a SQLite hub copied into PostgreSQL keeps every laptop working as it was.
@Suite struct CopyTests {
    @Test(.enabled(if: Backend.serverURL != nil, "needs FIELDSYNC_TEST_DATABASE"))
    func aCopiedHubKeepsTokensCursorsConflictsAndReports() async throws {
        let dir = TemporaryDirectory()
        let path = dir.file("hub.sqlite")
        let sqlite = try HubService(path: path)
        let lan = try await TestLaptop.enrolled(at: sqlite, in: dir, name: "Lan")
        let minh = try await TestLaptop.enrolled(at: sqlite, in: dir, name: "Minh")
        let first = try lan.log("Trần Văn Bình")
        try lan.log("Lê Thị Cúc")
        try await lan.push(via: sqlite)
        try await minh.pull(via: sqlite)
        var a = VisitChanges()
        a.note = "A"
        var b = VisitChanges()
        b.note = "B"
        _ = try lan.store.edit(first, a)
        _ = try minh.store.edit(first, b)
        try await lan.push(via: sqlite)
        try await minh.push(via: sqlite)
        try await lan.pull(via: sqlite)
        let before = try await sqlite.mergeReport(ReportFilter())
        let conflictsBefore = try await sqlite.conflicts(status: .all, since: nil, until: nil, scope: Scope())
        let cursor = try minh.store.pullCursor()
        #expect(cursor > 0)

        let server = try #require(Backend.serverURL)
        let name = "copy_\(UInt32.random(in: 0...UInt32.max))"
        let url = try await PostgresAdmin.createDatabase(server: server, name: name)
        let inUse = PseudonymKey(version: 3, publicKey: String(repeating: "ab", count: 49))
        try await HubService(path: path).setPseudonymKeyInUse(inUse)
        let counts = try await PostgresHubStore.withStore(url: url) { try await $0.copy(from: try HubStore(path: path, readOnly: true)) }
        #expect(counts["records"] == 2 && counts["devices"] == 2 && counts["conflicts"] == 1 && counts["hub"] == 1)

        try await PostgresHubStore.withStore(url: url) { postgres in
            #expect(postgres.replicaID == sqlite.replicaID)
            #expect(try await postgres.authenticate(token: lan.token).id == lan.device.id)
            // The pseudonym key in use comes along (the key file itself is copied by the operator, never through a database).
            #expect(try await postgres.pseudonymKeyInUse() == inUse)
            let conflictsAfter = try await postgres.conflicts(status: .all, since: nil, until: nil, scope: Scope())
            #expect(conflictsAfter.map(\.id) == conflictsBefore.map(\.id))
            let after = try await postgres.mergeReport(ReportFilter())
            #expect(after.totals == before.totals)

            // Laptops go on where they were: a new visit reaches Minh from his old cursor, and nothing else does.
            let added = try lan.log("Phạm Văn Dũng")
            try await lan.push(via: postgres)
            var page = try await postgres.pull(after: cursor, limit: 500, for: minh.device)
            for _ in 0..<100 where !page.records.contains(where: { $0.id == added }) {
                try await Task.sleep(for: .milliseconds(50))
                page = try await postgres.pull(after: cursor, limit: 500, for: minh.device)
            }
            #expect(page.records.map(\.id).contains(added))
            #expect(!page.records.map(\.id).contains(first) || page.records.count <= 2)
            #expect(page.cursor > cursor)
            _ = try minh.store.apply(page)
            #expect(try minh.store.visit(exactly: added) != nil)

            // A second copy into the same database is refused and changes nothing.
            await #expect(throws: HubError.self) { try await postgres.copy(from: try HubStore(path: path, readOnly: true)) }
            #expect(try await postgres.devices().count == 2, "the two copied, no more")
        }
        try await PostgresAdmin.dropDatabase(server: server, name: name)
    }
}
