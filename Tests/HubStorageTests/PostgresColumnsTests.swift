import FieldSyncTesting
import Foundation
import HubCore
import Testing
@testable import HubPostgres

/// PostgreSQL rows read by name fail as SQLite's do: a column the row lacks is an error naming it.
@Suite struct PostgresColumnsTests {
    @Test(.enabled(if: Backend.serverURL != nil)) func anUnknownColumnIsAnErrorNamingIt() async throws {
        try await Backend.postgres.withHubs(1) { hubs in
            let store = try #require(hubs[0] as? PostgresHubStore)
            let outcome: Result<String?, HubError> = try await store.single { connection in
                var result: Result<String?, HubError> = .success(nil)
                for try await row in try await connection.query("SELECT 'x' AS here", logger: store.logger) {
                    let columns = PostgresColumns(row)
                    result = Result { () throws(HubError) -> String? in
                        #expect(try columns.text("here") == "x")
                        return try columns.text("service")
                    }
                }
                return result
            }
            #expect(throws: HubError.noColumn("service")) { try outcome.get() }
        }
    }

    /// An erasure on PostgreSQL leaves no dead row version of the visits it blanked: what it touched is vacuumed.
    @Test(.enabled(if: Backend.serverURL != nil)) func anErasureLeavesNoDeadRowVersions() async throws {
        try await Backend.postgres.withHubs(1) { hubs in
            let store = try #require(hubs[0] as? PostgresHubStore)
            let lan = try await TestLaptop.enrolled(at: store, in: TemporaryDirectory(), name: "Lan")
            let ids = try (0..<3).map { try lan.log("Hoàng Thị Xoan \($0)") }
            try await lan.push(via: store)
            _ = try await store.erase(ids)
            // Counted in the tables' pages themselves (pgstattuple), not from the statistics, which lag.
            let dead: Int64 = try await store.single { connection in
                try await connection.query("CREATE EXTENSION IF NOT EXISTS pgstattuple", logger: store.logger)
                var dead: Int64 = -1
                for try await n in try await connection.query(
                    "SELECT (SELECT dead_tuple_count FROM pgstattuple('records')) + (SELECT dead_tuple_count FROM pgstattuple('conflicts'))",
                    logger: store.logger).decode(Int64.self) { dead = n }
                return dead
            }
            #expect(dead == 0, "dead row versions left after the erasure: \(dead)")
        }
    }
}
