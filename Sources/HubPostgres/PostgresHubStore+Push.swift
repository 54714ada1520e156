import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol
import TextSafety

extension PostgresHubStore {
    /// Merges a push in one transaction (HubCore's `merge`), run again from the start after a serialization
    /// failure or deadlock; a refused push is logged in a transaction of its own.
    public func push(_ request: PushRequest, from device: Device) async throws -> PushResponse {
        let now = clock.now()
        do {
            // The checks that need no data are inside: a refusal they make is logged as any other.
            try planner.check(request, from: device)
            return try await transaction { try await self.merge(request, from: device, now: now, in: $0) }
        } catch let error as HubError {
            try await transaction { try await self.logRefusal(error, device: device, now: now, in: $0) }
            throw error
        }
    }

    /// Transaction-scoped locks on record ids, taken in the order given (sorted by the caller: no deadlocks
    /// between pushes), held until commit.
    func lock(records ids: [String], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest(\(ids)::text[]) WITH ORDINALITY AS x(id, n) ORDER BY n
            """, logger: logger)
    }

    /// The hub seq base of the current transaction: its id shifted left 16 bits.
    func currentSeqBase(on connection: PostgresConnection) async throws -> UInt64 {
        var base: Int64 = 0
        for try await value in try await connection.query("SELECT pg_current_xact_id()::text::bigint << 16", logger: logger)
            .decode(Int64.self) { base = value }
        return UInt64(clamping: base)
    }

    /// The stored visits with these ids, read in one statement.
    func storedVisits(_ ids: [String], on connection: PostgresConnection) async throws
        -> [String: StoredVisit] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: StoredVisit] = [:]
        let sql = "SELECT \(HubRow.columns) FROM records WHERE id = ANY($1::text[])"
        var binds = PostgresBindings()
        binds.append(ids)
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            let decoded = try HubRow.decode(PostgresColumns(row))
            found[decoded.visit.id] = decoded
        }
        return found
    }
}
