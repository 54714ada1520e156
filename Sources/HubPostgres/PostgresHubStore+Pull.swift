import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol

/// The commit-safe pull cursor (Protocol/README.md §7). Several hub processes write at once, and a
/// counter taken inside a transaction can commit after a larger one: a cursor taken from it would
/// pass a row still being written, and that row would never be pulled. Here a change's hub seq is
/// `(id of the transaction that wrote it << 16) + its place in that transaction`, and a pull returns
/// only changes of transactions older than the oldest one still running
/// (`pg_snapshot_xmin(pg_current_snapshot())`): every such transaction has committed or rolled back,
/// so no change can later appear below a cursor a pull has handed out.
extension PostgresHubStore {
    public func pull(after: UInt64, limit: Int, for device: Device, session: String?, checkpoint: Bool) async throws -> PullPage {
        let limit = min(max(limit, 1), WireLimits.maxPullLimit)
        var sql = """
            SELECT \(HubRow.columns) FROM records
            WHERE hub_seq > $1 AND hub_seq < (pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 16)
            """
        var binds = PostgresBindings()
        binds.append(Int64(clamping: after))
        binds.append(limit + 1)
        if let commune = device.scope.commune {
            sql += " AND commune = $3"
            binds.append(commune)
        } else if let province = device.scope.province {
            sql += " AND province = $3"
            binds.append(province)
        }
        // The states this session pushed, stored exactly as sent, stay out (§6.2).
        var unsent = ""
        if let session {
            binds.append(PushRequest.sentIn(device: device.id, session: session))
            unsent = " AND sent_in IS DISTINCT FROM $\(binds.count)"
        }
        let query = PostgresQuery(unsafeSQL: sql + unsent + " ORDER BY hub_seq LIMIT $2", binds: binds)
        let forgottenQuery = PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "SELECT \(HubRow.columns) FROM records",
                                                                                with: "SELECT id, hub_seq FROM forgotten")
                                                      + " ORDER BY hub_seq LIMIT $2", binds: binds)
        let passedQuery = PostgresQuery(unsafeSQL: sql.replacingOccurrences(of: "SELECT \(HubRow.columns) FROM records",
                                                                             with: "SELECT max(hub_seq) FROM records"), binds: binds)
        let page = try await connectionSnapshot { connection in
            var rows: [(state: RecordState, hubSeq: UInt64)] = []
            for try await row in try await connection.query(query, logger: logger) {
                let decoded = try HubRow.decode(PostgresColumns(row))
                rows.append((decoded.state, decoded.hubSeq))
            }
            var forgotten: [(id: String, hubSeq: UInt64)] = []
            for try await (id, hubSeq) in try await connection.query(forgottenQuery, logger: logger).decode((String, Int64).self) {
                forgotten.append((id, UInt64(clamping: hubSeq)))
            }
            var passedThrough: UInt64?
            if session != nil {
                for try await highest in try await connection.query(passedQuery, logger: logger).decode(Int64?.self) {
                    passedThrough = highest.map { UInt64(clamping: $0) }
                }
            }
            let page = PullPage.Changes(records: rows, forgotten: forgotten, limit: limit, passedThrough: passedThrough)
            let losses = try await openLosses(of: device, in: page.records.map(\.id), on: connection)
            return PullPage(records: page.records, cursor: page.cursor ?? after, more: page.more,
                            conflicts: losses.isEmpty ? nil : losses, forgotten: page.forgotten.isEmpty ? nil : page.forgotten)
        }
        // The device's checkpoint for the tombstone horizon (§7.2): it stored every change up to `after`.
        // Written at the last page of a pull only (a lower checkpoint is always safe).
        guard checkpoint, !page.more else { return page }
        _ = try await single { connection in
            try await connection.query("""
                UPDATE devices SET pulled_through = greatest(pulled_through, \(Int64(clamping: after))),
                    pulled_at = \(ISODate.format(clock.now())) WHERE id = \(device.id)
                """, logger: self.logger)
        }
        return page
    }

    /// The open entries about `records` in which a write of one of the device's replicas lost.
    func openLosses(of device: Device, in records: [String], on connection: PostgresConnection) async throws -> [Conflict] {
        guard device.role == .volunteer, !records.isEmpty else { return [] }
        var mine = Set<ReplicaID>()
        for try await id in try await connection.query("SELECT replica_id FROM replicas WHERE device = \(device.id)", logger: logger)
            .decode(String.self) { if let replica = ReplicaID(id) { mine.insert(replica) } }
        guard !mine.isEmpty else { return [] }
        var losses: [Conflict] = []
        for try await (id, body) in try await connection.query("""
            SELECT id, body FROM conflicts WHERE resolution IS NULL AND record = ANY(\(records)::text[]) ORDER BY found_at, id
            """, logger: logger).decode((String, String).self) {
            let entry: Conflict
            do {
                entry = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
            } catch {
                throw HubError.unavailable("the hub store's conflict entry \(id) is damaged (\(error))")
            }
            if !entry.losses(of: mine).isEmpty, losses.count < WireLimits.maxPushConflicts { losses.append(entry) }
        }
        return losses
    }

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
