import Foundation
import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    public func resolveDuplicate(_ duplicate: String, keeping kept: String, by coordinator: String, scope: Scope) async throws {
        let now = clock.now()
        try await transaction { connection in
            try await self.lock(records: [duplicate, kept].sorted(), on: connection)
            let found = try await self.storedVisits([duplicate, kept], on: connection)
            let changes = try Hub.duplicateChanges(found[duplicate]?.visit, found[kept]?.visit, named: (duplicate, kept),
                                                        by: coordinator, scope: scope)
            guard let dup = found[duplicate] else { throw HubError.notFound("no visit \(duplicate) at the hub") }
            _ = try await self.hubWrite(changes, to: dup, now: now, on: connection)
        }
    }
}
