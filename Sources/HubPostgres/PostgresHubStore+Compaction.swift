import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol

extension PostgresHubStore {
    /// Most tombstones compacted in one transaction: each takes a change number of that transaction (< 2^16).
    static let compactionBatch = 50_000

    /// Compacts below the tombstone horizon as the SQLite store does (HubStore+Compaction.swift), in
    /// transactions of up to `compactionBatch` tombstones, each locking the visits it moves (a push of
    /// one of them waits, then merges against its reduced state). PostgreSQL keeps the old row versions
    /// until VACUUM reclaims them.
    public func compact(grace: TimeInterval, dryRun: Bool, now: Date) async throws -> Compaction {
        var total = Compaction()
        while true {
            let batch = try await connectionTransaction { try await self.compactBatch(grace: grace, dryRun: dryRun, now: now, on: $0) }
            let before = total
            total = batch
            total.tombstones += before.tombstones
            total.erasedEntries += before.erasedEntries
            if dryRun || batch.tombstones < Self.compactionBatch {
                if !dryRun && total.tombstones > 0 { try await vacuum(["records", "conflicts", "forgotten"]) }
                return total
            }
        }
    }

    private func compactBatch(grace: TimeInterval, dryRun: Bool, now: Date, on connection: PostgresConnection) async throws -> Compaction {
        var devices: [TombstoneHorizon.Checkpoint] = []
        for try await (id, role, revoked, enrolled, synced, pulledAt, through) in try await connection.query("""
            SELECT id, role, revoked_at, enrolled_at, last_sync_at, pulled_at, pulled_through FROM devices
            """, logger: logger).decode((String, String, String?, String, String?, String?, Int64).self) {
            devices.append(TombstoneHorizon.Checkpoint(device: id, role: role, revokedAt: revoked, enrolledAt: enrolled, lastSyncAt: synced,
                                                       pulledAt: pulledAt, pulledThrough: through))
        }
        // Only changes of committed transactions count: none can still appear below the horizon (§7.1).
        var hubSeq: Int64 = 0
        for try await value in try await connection.query("""
            SELECT greatest(coalesce((SELECT max(hub_seq) FROM records), 0), coalesce((SELECT max(hub_seq) FROM forgotten), 0))
            """, logger: logger).decode(Int64.self) { hubSeq = value }
        let horizon = TombstoneHorizon(devices: devices, hubSeq: UInt64(clamping: hubSeq), grace: grace, now: now)
        var done = Compaction(horizon, dryRun: dryRun)
        let limit = Int64(clamping: horizon.horizon)
        var candidates: [String] = []
        for try await id in try await connection.query("""
            SELECT id FROM records WHERE deleted <> 0 AND hub_seq <= \(limit)
                AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.record = records.id AND c.resolution IS NULL)
            ORDER BY id LIMIT \(Self.compactionBatch)
            """, logger: logger).decode(String.self) { candidates.append(id) }
        try await lock(records: candidates, on: connection)
        let tombstones = try await storedVisits(candidates, on: connection).values
            .filter { $0.visit.deleted && $0.hubSeq <= horizon.horizon }.sorted { $0.hubSeq < $1.hubSeq }
        done.tombstones = tombstones.count
        var withEntries: [String] = []
        for try await id in try await connection.query("""
            SELECT r.id FROM records r WHERE r.deleted = 0 AND r.hub_seq <= \(limit)
                AND (EXISTS (SELECT 1 FROM conflicts c WHERE c.record = r.id) OR EXISTS (SELECT 1 FROM quarantine q WHERE q.record = r.id))
            """, logger: logger).decode(String.self) { withEntries.append(id) }
        let erasedVisits = try await storedVisits(withEntries, on: connection).values.filter(\.visit.erased).map(\.visit.id)
        for try await n in try await connection.query("""
            SELECT (SELECT count(*) FROM conflicts WHERE record = ANY(\(erasedVisits)::text[]))
                + (SELECT count(*) FROM quarantine WHERE record = ANY(\(erasedVisits)::text[]))
            """, logger: logger).decode(Int64.self) { done.erasedEntries = Int(n) }
        guard !dryRun else { return done }
        let base = try await currentSeqBase(on: connection)
        let nowText = ISODate.format(now)
        for (n, tombstone) in tombstones.enumerated() {
            let id = tombstone.visit.id
            try await connection.query("""
                INSERT INTO forgotten (id, hub_seq, commune, province, state, at)
                VALUES (\(id), \(Int64(clamping: base + UInt64(n))), \(tombstone.visit.commune), \(Hub.province(of: tombstone.visit.commune)),
                        \(ByteBuffer(bytes: Compaction.encode(Compaction.reduced(tombstone.state)))), \(nowText))
                ON CONFLICT (id) DO UPDATE SET hub_seq = excluded.hub_seq, state = excluded.state, at = excluded.at
                """, logger: logger)
            try await connection.query("DELETE FROM records WHERE id = \(id)", logger: logger)
        }
        let removed = tombstones.map(\.visit.id) + erasedVisits
        if !removed.isEmpty {
            try await connection.query("DELETE FROM conflicts WHERE record = ANY(\(removed)::text[])", logger: logger)
            try await connection.query("DELETE FROM quarantine WHERE record = ANY(\(removed)::text[])", logger: logger)
        }
        try await connection.query("UPDATE hub SET horizon = greatest(horizon, \(limit))", logger: logger)
        try await audit([AuditDraft.compact(done)], now: now, on: connection)
        return done
    }

    /// Every compacted id (the simulator's oracle).
    public func forgottenIDs() async throws -> Set<String> {
        try await single { connection in
            var ids: Set<String> = []
            for try await id in try await connection.query("SELECT id FROM forgotten", logger: self.logger).decode(String.self) { ids.insert(id) }
            return ids
        }
    }

    /// The reduced states of compacted visits among `ids`, with their communes.
    func forgottenStates(_ ids: [String], on connection: PostgresConnection) async throws
        -> [String: (commune: String, state: RecordState)] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (commune: String, state: RecordState)] = [:]
        for try await (id, commune, state) in try await connection.query("""
            SELECT id, commune, state FROM forgotten WHERE id = ANY(\(ids)::text[])
            """, logger: logger).decode((String, String, ByteBuffer).self) {
            found[id] = (commune, try Compaction.decode(Array(state.readableBytesView), id: id))
        }
        return found
    }
}
