import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// Compacts below the tombstone horizon (Protocol/README.md §7.2), in one transaction: every deleted
    /// visit changed at or below it, with no open conflict entry, leaves `records` for `forgotten` (its id, commune and reduced state,
    /// under a new change number, so pulls tell laptops to drop their copies); its conflict entries and
    /// quarantined payloads go, as do those of erased visits. SQLite's secure_delete overwrites the
    /// removed bytes and the WAL is truncated. With `dryRun`, nothing is written.
    public func compact(grace: TimeInterval, dryRun: Bool = false, now: Date = Date()) throws -> Compaction {
        try overwritingDeletes(truncating: !dryRun) {
            try write {
                var hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0)
                let devices = try db.query("""
                    SELECT id, role, revoked_at, enrolled_at, last_sync_at, pulled_at, pulled_through FROM devices
                    """) { row in
                    TombstoneHorizon.Checkpoint(device: row.text(0) ?? "", role: row.text(1) ?? "", revokedAt: row.text(2), enrolledAt: row.text(3),
                                                lastSyncAt: row.text(4), pulledAt: row.text(5), pulledThrough: row.int64(6))
                }
                let horizon = TombstoneHorizon(devices: devices, hubSeq: hubSeq, grace: grace, now: now)
                var done = Compaction(horizon, dryRun: dryRun)
                let below = SQLValue.integer(Int64(clamping: horizon.horizon))
                // A deleted visit with an open entry waits: its coordinator may still restore it (`take`).
                let tombstones = try db.query("""
                    SELECT \(HubRow.columns) FROM records WHERE deleted = 1 AND hub_seq <= ?
                        AND id NOT IN (SELECT record FROM conflicts WHERE resolution IS NULL) ORDER BY hub_seq
                    """, [below], row: HubRow.decode)
                let erased = try db.query("""
                    SELECT DISTINCT record FROM (SELECT record FROM conflicts UNION ALL SELECT record FROM quarantine)
                    WHERE record IN (SELECT id FROM records WHERE deleted = 0 AND hub_seq <= ?)
                    """, [below]) { $0.text(0) ?? "" }
                let erasedIDs = try erased.filter { try storedVisit($0)?.visit.erased == true }
                done.tombstones = tombstones.count
                for id in erasedIDs { done.erasedEntries += try entryCount(of: id) }
                guard !dryRun else { return done }
                let nowText = ISODate.format(now)
                for tombstone in tombstones {
                    let id = tombstone.visit.id
                    hubSeq += 1
                    try db.run("""
                        INSERT INTO forgotten (id, hub_seq, commune, province, state, at) VALUES (?, ?, ?, ?, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET hub_seq = excluded.hub_seq, state = excluded.state, at = excluded.at
                        """, [.text(id), .integer(Int64(hubSeq)), .text(tombstone.visit.commune),
                              .text(Hub.province(of: tombstone.visit.commune)),
                              .blob(Compaction.encode(Compaction.reduced(tombstone.state))), .text(nowText)])
                    try removeEntries(of: id)
                    try db.run("DELETE FROM records WHERE id = ?", [.text(id)])
                }
                for id in erasedIDs { try removeEntries(of: id) }
                try db.run("UPDATE hub SET hub_seq = ?, horizon = max(horizon, ?)", [.integer(Int64(hubSeq)), below])
                try audit([AuditDraft.compact(done)], now: now)
                return done
            }
        }
    }

    /// Runs `body` with SQLite's secure_delete on, so the bytes of what it deletes or overwrites are
    /// zeroed, then (with `truncating`) truncates the WAL, which held copies of the old pages.
    func overwritingDeletes<T>(truncating: Bool = true, _ body: () throws -> T) throws -> T {
        try db.execute("PRAGMA secure_delete = ON")
        defer {
            // Losing this error is safe: it only turns the overwriting off again for later writes.
            try? db.execute("PRAGMA secure_delete = OFF")
        }
        let result = try body()
        if truncating { try db.execute("PRAGMA wal_checkpoint(TRUNCATE)") }
        return result
    }

    private func entryCount(of record: String) throws -> Int {
        try db.scalarInt("SELECT (SELECT count(*) FROM conflicts WHERE record = ?1) + (SELECT count(*) FROM quarantine WHERE record = ?1)",
                         [.text(record)]) ?? 0
    }

    private func removeEntries(of record: String) throws {
        try db.run("DELETE FROM conflicts WHERE record = ?", [.text(record)])
        try db.run("DELETE FROM quarantine WHERE record = ?", [.text(record)])
    }

    /// Notes the cursor a device pulls after: every change up to it is stored on the device (§7.2).
    public func notePull(device: String, after: UInt64, now: Date = Date()) throws {
        try write {
            try db.run("UPDATE devices SET pulled_through = max(pulled_through, ?), pulled_at = ? WHERE id = ?",
                       [.integer(Int64(clamping: after)), .text(ISODate.format(now)), .text(device)])
        }
    }

    /// Every compacted id (the simulator's oracle: a logged visit is at the hub or was compacted).
    public func forgottenIDs() throws -> Set<String> {
        try read { Set(try db.query("SELECT id FROM forgotten") { $0.text(0) ?? "" }) }
    }

    /// The reduced states of compacted visits among `ids`, with their communes (a push naming one merges against it).
    func forgottenStates(_ ids: [String]) throws -> [String: (commune: String, state: RecordState)] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (commune: String, state: RecordState)] = [:]
        try db.cached("SELECT id, commune, state FROM forgotten WHERE id IN (SELECT value FROM json_each(?))")
            .forEach([.text(Hub.jsonArray(ids))]) { row in
                let id = row.text(0) ?? ""
                found[id] = (row.text(1) ?? "", try Compaction.decode(row.blob(2) ?? [], id: id))
            }
        return found
    }
}
