import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore

// The writer's primitives of a transaction (SQLiteSession runs them on the writer queue).
extension HubStore {
    /// Opens the writer's transaction (`BEGIN IMMEDIATE`: the write lock up front, never an upgrade half way).
    func begin() throws { try db.execute("BEGIN IMMEDIATE") }

    /// Commits, then notes the change counter in the high-water mark file (HubStore+Incarnation.swift).
    func commit() throws {
        try db.execute("COMMIT")
        try recordHighWaterMark()
    }

    /// Rolls back the open transaction, if one is open.
    func rollback() {
        // Losing this error is safe: the caller rethrows the failure that led here; a rollback that fails leaves SQLite
        // to roll back when the connection closes, and nothing of the transaction was committed.
        if db.isInTransaction { try? db.execute("ROLLBACK") }
    }

    /// One more erasure under way: what the writer deletes or overwrites is zeroed (secure_delete) until the last ends.
    func beginErasing() throws {
        if erasures == 0 { try db.execute("PRAGMA secure_delete = ON") }
        erasures += 1
    }

    /// An erasure done: the WAL, which held copies of the old pages, is truncated; the last one turns secure_delete off.
    func endErasing() throws {
        erasures -= 1
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        if erasures == 0 { try db.execute("PRAGMA secure_delete = OFF") }
    }

    /// Reserves `count` hub change numbers; returns the first.
    func reserveChangeNumbers(_ count: Int) throws -> UInt64 {
        let last = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0)
        try db.run("UPDATE hub SET hub_seq = ?", [.integer(Int64(clamping: last + UInt64(count)))])
        return last + 1
    }

    /// Writes visit rows, each with the next hub change number, and keeps the report aggregates with them.
    /// - Returns: the hub's change number after the writes.
    func writeRecords(_ rows: [RecordWrite]) throws -> UInt64 {
        var hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0)
        guard !rows.isEmpty else { return hubSeq }
        var aggregates = ReportAggregates()
        let upsert = try db.cached(HubRow.upsertSQL)
        for row in rows {
            if maintainsAggregates { aggregates.replace(row.previous, with: row.visit) }
            hubSeq += 1
            try upsert.execute(try HubRow.values(row.visit, state: row.state, hubSeq: hubSeq, province: Hub.province(of: row.visit.commune),
                                             device: row.device, now: row.at, sentIn: row.sentIn))
        }
        try aggregates.flush(to: db)
        try db.run("UPDATE hub SET hub_seq = ?", [.integer(Int64(clamping: hubSeq))])
        return hubSeq
    }

    /// A stored visit by exact id, or nil.
    func storedVisit(_ id: String) throws -> StoredVisit? {
        try db.cached("SELECT \(HubRow.columns) FROM records WHERE id = ?").query([.text(id)], row: HubRow.decode).first
    }
}
