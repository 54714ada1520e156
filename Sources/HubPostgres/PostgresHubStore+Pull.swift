import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol

extension PostgresHubStore {
    /// Hands every visit in a scope (deleted ones included) to `body` in change order, streamed from
    /// one snapshot: constant memory however large the store.
    public func forEachVisit(in scope: Scope = Scope(), _ body: (Visit, VersionVector) throws -> Void) async throws {
        var sql = "SELECT \(HubRow.columns) FROM records"
        var binds = PostgresBindings()
        if let commune = scope.commune {
            sql += " WHERE commune = $1"
            binds.append(commune)
        } else if let province = scope.province {
            sql += " WHERE province = $1"
            binds.append(province)
        }
        let query = PostgresQuery(unsafeSQL: sql + " ORDER BY hub_seq", binds: binds)
        try await connectionSnapshot { connection in
            for try await row in try await connection.query(query, logger: logger) {
                let decoded = try HubRow.decode(PostgresColumns(row))
                try body(decoded.visit, decoded.state.version)
            }
        }
    }
}
