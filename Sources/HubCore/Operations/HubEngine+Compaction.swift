import FieldModel
import Foundation
import SyncCore

extension HubEngine {
    /// Compacts below the tombstone horizon (Protocol/README.md §7.2), in transactions of up to `compactionBatch`
    /// tombstones, each locking the visits it moves: every deleted visit changed at or below the horizon, with no
    /// open conflict entry (its coordinator may still restore it), leaves `records` for `forgotten` (its id, commune
    /// and reduced state, under a new change number, so pulls tell laptops to drop their copies); its conflict
    /// entries and quarantined payloads go, as do those of erased visits; none of their bytes stay in the store's
    /// files. With `dryRun`, only tells.
    public func compact(grace: TimeInterval, dryRun: Bool, now: Date) async throws -> Compaction {
        guard !dryRun else { return try await transaction { try await compactBatch(grace: grace, dryRun: true, now: now, in: $0) } }
        return try await erasing(["records", "conflicts", "quarantine", "forgotten"]) {
            var total = Compaction()
            while true {
                let batch = try await transaction { try await compactBatch(grace: grace, dryRun: false, now: now, in: $0) }
                let before = total
                total = batch
                total.tombstones += before.tombstones
                total.erasedEntries += before.erasedEntries
                if batch.tombstones < Hub.compactionBatch { return total }
            }
        }
    }

    private func compactBatch(grace: TimeInterval, dryRun: Bool, now: Date, in session: Session) async throws -> Compaction {
        let devices = try await session.query("SELECT id, role, revoked_at, enrolled_at, last_sync_at, pulled_at, pulled_through FROM devices")
            .map { row in
                TombstoneHorizon.Checkpoint(device: try row.text("id") ?? "", role: try row.text("role") ?? "", revokedAt: try row.text("revoked_at"),
                                            enrolledAt: try row.text("enrolled_at"), lastSyncAt: try row.text("last_sync_at"),
                                            pulledAt: try row.text("pulled_at"), pulledThrough: try row.int64("pulled_through"))
            }
        // The last change of a committed transaction: none can still appear below the horizon (§7.1).
        let last = try await lastChange(in: session)
        let horizon = TombstoneHorizon(devices: devices, hubSeq: last, grace: grace, now: now)
        var done = Compaction(horizon, dryRun: dryRun)
        let below = HubValue.counter(horizon.horizon)
        let candidates = try await session.query("""
            SELECT id FROM records WHERE deleted <> 0 AND hub_seq <= ?
                AND NOT EXISTS (SELECT 1 FROM conflicts c WHERE c.record = records.id AND c.resolution IS NULL)
            ORDER BY id LIMIT ?
            """, [below, .integer(Hub.compactionBatch)]).map { try $0.text("id") ?? "" }
        try await session.lock(records: candidates)
        let tombstones = try await storedVisits(candidates, in: session).values
            .filter { $0.visit.deleted && $0.hubSeq <= horizon.horizon }.sorted { $0.hubSeq < $1.hubSeq }
        done.tombstones = tombstones.count
        let withEntries = try await session.query("""
            SELECT r.id FROM records r WHERE r.deleted = 0 AND r.hub_seq <= ?
                AND (EXISTS (SELECT 1 FROM conflicts c WHERE c.record = r.id) OR EXISTS (SELECT 1 FROM quarantine q WHERE q.record = r.id))
            """, [below]).map { try $0.text("id") ?? "" }
        let erased = try await storedVisits(withEntries, in: session).values.filter(\.visit.erased).map(\.visit.id)
        done.erasedEntries = try await session.query("""
            SELECT (SELECT count(*) FROM conflicts WHERE \(session.dialect.isIn("record")))
                + (SELECT count(*) FROM quarantine WHERE \(session.dialect.isIn("record"))) AS entries
            """, [.texts(erased), .texts(erased)]).first?.int("entries") ?? 0
        guard !dryRun else { return done }
        let first = try await session.reserveChangeNumbers(tombstones.count)
        let nowText = ISODate.format(now)
        for (n, tombstone) in tombstones.enumerated() {
            let id = tombstone.visit.id
            try await session.execute("""
                INSERT INTO forgotten (id, hub_seq, commune, province, state, at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET hub_seq = EXCLUDED.hub_seq, state = EXCLUDED.state, at = EXCLUDED.at
                """, [.text(id), .counter(first + UInt64(n)), .text(tombstone.visit.commune), .text(Hub.province(of: tombstone.visit.commune)),
                      .blob(Compaction.encode(Compaction.reduced(tombstone.state))), .text(nowText)])
            try await session.execute("DELETE FROM records WHERE id = ?", [.text(id)])
        }
        let removed = tombstones.map(\.visit.id) + erased
        if !removed.isEmpty {
            try await session.execute("DELETE FROM conflicts WHERE \(session.dialect.isIn("record"))", [.texts(removed)])
            try await session.execute("DELETE FROM quarantine WHERE \(session.dialect.isIn("record"))", [.texts(removed)])
        }
        try await session.execute("UPDATE hub SET horizon = \(session.dialect.greatest("horizon", "?"))", [below])
        try await audit([AuditDraft.compact(done)], now: now, in: session)
        return done
    }
}

extension Hub {
    /// Most tombstones compacted in one transaction: a big compaction never holds the store, nor its locks, for long.
    package static let compactionBatch = 50_000
}
