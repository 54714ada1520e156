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
}
