import Foundation
import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    @discardableResult
    public func resolveDuplicate(_ duplicate: String, keeping kept: String, by coordinator: String, scope: Scope) async throws -> String {
        let now = clock.now()
        return try await connectionTransaction { connection in
            let (dupID, keptID) = (try await self.visitID(duplicate, scope: scope, on: connection),
                                   try await self.visitID(kept, scope: scope, on: connection))
            try await self.lock(records: [dupID, keptID].sorted(), on: connection)
            let found = try await self.storedVisits([dupID, keptID], on: connection)
            let changes = try Hub.duplicateChanges(found[dupID]?.visit, found[keptID]?.visit, named: (duplicate, kept),
                                                   by: coordinator, scope: scope)
            guard let dup = found[dupID] else { throw HubError.notFound("no visit \(duplicate) at the hub") }
            _ = try await self.hubWrite(changes, to: dup, now: now, validating: false, on: connection)
            return dupID
        }
    }

    /// The full id of the visit a person named by its id or its first or last 8 or more characters, among the
    /// visits of `scope` only (as on SQLite).
    func visitID(_ text: String, scope: Scope, on connection: PostgresConnection) async throws -> String {
        let key = try Hub.visitKey(text)
        var ids: [String] = []
        for try await id in try await connection.query("""
            SELECT id FROM records WHERE (id = \(key) OR id LIKE \(key + "%") OR id LIKE \("%" + key))
                AND (\(scope.commune)::text IS NULL OR commune = \(scope.commune)) AND (\(scope.province)::text IS NULL OR province = \(scope.province))
            LIMIT 5
            """, logger: logger).decode(String.self) { ids.append(id) }
        return try Hub.oneVisit(ids, named: text)
    }
}
