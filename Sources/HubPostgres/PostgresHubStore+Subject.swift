import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore

extension PostgresHubStore {
    public func quarantined(records: [String]) async throws -> [MergeReport.QuarantineLine] {
        try await single { connection in
            var lines: [MergeReport.QuarantineLine] = []
            for try await row in try await connection.query("""
                SELECT record, device, code, reason, received_at, payload, payload_size, attempts FROM quarantine
                WHERE record = ANY(\(records)) ORDER BY received_at, id
                """, logger: self.logger).decode((String, String, String, String, String, String, Int, Int).self) {
                lines.append(MergeReport.QuarantineLine(record: row.0, device: row.1, volunteer: nil, code: row.2, reason: row.3,
                                                        receivedAt: row.4, payloadStart: row.5, payloadSize: row.6, attempts: row.7))
            }
            return lines
        }
    }
}

extension PostgresHubStore {
    public func quarantined(matching match: QuarantineMatch) async throws -> [MergeReport.QuarantineLine] {
        guard !match.isEmpty else { return [] }
        return try await single { connection in
            var lines: [MergeReport.QuarantineLine] = []
            for try await row in try await connection.query("""
                SELECT q.record, q.device, q.code, q.reason, q.received_at, q.payload, q.payload_size, q.attempts FROM quarantine q
                LEFT JOIN devices d ON d.id = q.device WHERE q.payload <> '' AND (\(match.commune)::text IS NULL OR d.commune = \(match.commune))
                ORDER BY q.received_at, q.id
                """, logger: self.logger).decode((String, String, String, String, String, String, Int, Int).self) {
                let line = MergeReport.QuarantineLine(record: row.0, device: row.1, volunteer: nil, code: row.2, reason: row.3,
                                                      receivedAt: row.4, payloadStart: row.5, payloadSize: row.6, attempts: row.7)
                if match.matches(line.payload) { lines.append(line) }
            }
            return lines
        }
    }

    /// Empties the quarantined payloads of these records, then rewrites the table (VACUUM FULL: no dead tuple, nor
    /// the old file, keeps the citizen's bytes; the quarantine is small, bounded per device).
    public func eraseQuarantined(records: [String]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        let emptied = try await connectionTransaction { connection in
            var count = 0
            for try await n in try await connection.query("""
                WITH emptied AS (UPDATE quarantine SET payload = '' WHERE record = ANY(\(records)) AND payload <> '' RETURNING 1)
                SELECT count(*)::bigint FROM emptied
                """, logger: self.logger).decode(Int.self) { count = n }
            return count
        }
        try await single { connection in _ = try await connection.query("VACUUM FULL quarantine", logger: self.logger) }
        return emptied
    }

    public func erase(_ ids: [String]) async throws -> ErasureCounts {
        let now = clock.now()
        let counts = try await connectionTransaction { connection in
            try await self.lock(records: ids.sorted(), on: connection)
            let found = try await self.storedVisits(ids, on: connection)
            var counts = ErasureCounts()
            for id in ids {
                guard let stored = found[id] else { throw HubError.notFound("no visit \(id) at the hub") }
                if !stored.visit.erased {
                    _ = try await self.hubWrite([VisitField.erased.rawValue: .bool(true)], to: stored, now: now, validating: false, on: connection)
                    counts.visits += 1
                }
                var entries: [(String, String, String?)] = []
                for try await row in try await connection.query("SELECT id, body, resolution FROM conflicts WHERE record = \(id)",
                                                                logger: self.logger).decode((String, String, String?).self) { entries.append(row) }
                for (entry, body, resolution) in entries {
                    let conflict = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
                    let resolved = try resolution.map { try JSONDecoder().decode(ConflictResolution.self, from: Data($0.utf8)).erasingPersonal() }
                    try await connection.query("""
                        UPDATE conflicts SET body = \(Hub.json(conflict.erasingPersonal())), resolution = \(resolved.map(Hub.json))
                        WHERE id = \(entry)
                        """, logger: self.logger)
                    counts.conflicts += 1
                }
                var emptied = 0
                for try await n in try await connection.query("""
                    WITH emptied AS (UPDATE quarantine SET payload = '' WHERE record = \(id) AND payload <> '' RETURNING 1)
                    SELECT count(*)::bigint FROM emptied
                    """, logger: self.logger).decode(Int.self) { emptied = n }
                counts.quarantined += emptied
            }
            return counts
        }
        // The old row versions hold the citizen's bytes until vacuumed: vacuum what the erasure touched (README, "Erasure").
        try await vacuum(["records", "conflicts", "quarantine"])
        return counts
    }

    /// Vacuums tables after an erasure or a compaction: the dead row versions that still held the citizen's or the deleted
    /// visits' values go (outside any transaction, as VACUUM must run).
    func vacuum(_ tables: [String]) async throws {
        try await single { connection in
            for table in tables where ["records", "conflicts", "quarantine", "forgotten"].contains(table) {
                _ = try await connection.query(PostgresQuery(unsafeSQL: "VACUUM \(table)"), logger: self.logger)
            }
        }
    }
}
