import Foundation
import HubCore
import PostgresNIO

extension PostgresHubStore {
    /// Copies a SQLite hub store into this database, which must hold no device and no visit yet, in one
    /// transaction (all or nothing): the hub's identity, key, counters and incarnation, devices and
    /// token hashes, enrolment codes, replicas, visits with their hub seqs (laptops' cursors stay valid:
    /// later changes take larger seqs, §7.1), batches, the conflict log, the quarantine and refusals.
    /// Hub processes already running on this database must be restarted after (they cached the old identity).
    /// - Returns: the rows copied per table.
    package func copy(from source: some HubCopySource, progress: @Sendable (String, Int) -> Void = { _, _ in }) async throws -> [String: Int] {
        try await connectionTransaction { connection in
            var taken = 0
            for try await count in try await connection.query(
                "SELECT (SELECT count(*) FROM devices) + (SELECT count(*) FROM records)", logger: logger).decode(Int.self) { taken = count }
            guard taken == 0 else {
                throw HubError.invalidRequest("the PostgreSQL database already holds devices or visits: copy into a new, empty database")
            }
            try await connection.query("DELETE FROM hub", logger: logger)
            var counts: [String: Int] = [:]
            for table in Hub.copiedTables {
                var after: Int64 = 0
                while let page = try source.page(of: table, after: after, limit: 2_000) {
                    var binds = PostgresBindings()
                    binds.append(page.json)
                    try await connection.query(PostgresQuery(unsafeSQL: """
                        INSERT INTO \(table) SELECT * FROM jsonb_populate_recordset(NULL::\(table), $1::jsonb)
                        """, binds: binds), logger: logger)
                    counts[table, default: 0] += page.rows
                    progress(table, counts[table] ?? 0)
                    after = page.last
                }
            }
            for table in ["quarantine", "refusals"] {
                try await connection.query(PostgresQuery(unsafeSQL: """
                    SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce((SELECT max(id) FROM \(table)), 0) + 1, false)
                    """), logger: logger)
            }
            // Changes made here from now on must sort after every copied one (§7.1).
            var highest: Int64 = 0, next: Int64 = 0
            for try await (copied, base) in try await connection.query(
                "SELECT coalesce(max(hub_seq), 0), pg_current_xact_id()::text::bigint << 16 FROM records", logger: logger)
                .decode((Int64, Int64).self) { (highest, next) = (copied, base) }
            guard highest < next else {
                throw HubError.invalidRequest("the SQLite store has \(highest) changes, more than this database's transaction "
                                              + "counter can follow (\(next)): copy into a database cluster that has run longer")
            }
            return counts
        }
    }
}
