import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol
import TextSafety

extension HubStore {
    /// Merges a device's push in one transaction (Protocol/README.md §6).
    ///
    /// The whole push is refused, with nothing written, for a restored or cloned replica (409), a record
    /// outside the device's scope (403) or a stamp beyond the drift bound (422); the last two are logged
    /// as refusals. Records that fail validation are quarantined with their payload and reported back.
    public func push(_ request: PushRequest, from device: Device, now: Date = Date()) throws -> PushResponse {
        return try pushGroup([(request, device)], now: now)[0].get()
    }

    /// Merges several devices' pushes in one transaction (group commit: one fsync for all of them).
    ///
    /// Each push runs in its own savepoint, so a refused push is rolled back alone and the others commit.
    /// - Returns: each push's answer or refusal, in order. If the commit itself fails, every push fails.
    public func pushGroup(_ pushes: [(PushRequest, Device)], now: Date = Date()) -> [Result<PushResponse, HubError>] {
        var results: [Result<PushResponse, HubError>] = []
        do {
            try write {
                for (request, device) in pushes {
                    do {
                        try MergePlanner(hubReplica: replicaID, maxDriftMillis: maxDriftMillis, catalogue: catalogue).check(request, from: device)
                        results.append(.success(try db.transaction { try merge(request, from: device, now: now) }))
                    } catch let error as HubError {
                        results.append(.failure(error))
                        try logRefusal(error, device: device, now: now)
                    } catch let error as SQLiteError {
                        throw error
                    } catch {
                        results.append(.failure(.invalidRequest("\(error)")))
                    }
                }
            }
        } catch {
            let failure = (error as? HubError) ?? .storage(detail: "\(error)")
            return pushes.map { _ in .failure(failure) }
        }
        return results
    }

    /// Keeps a refused push in the merge report (restored replica, clock ahead, out of scope).
    func logRefusal(_ error: HubError, device: Device, now: Date) throws {
        switch error {
        case .replicaRestored(let detail, _), .clockAhead(let detail), .outOfScope(let detail):
            try db.run("INSERT INTO refusals (device, kind, detail, at) VALUES (?, ?, ?, ?)",
                       [.text(device.id), .text(error.code.rawValue),
                        .text(SafeText.truncated(detail, toBytes: HubLimits.refusalDetailBytes).text), .text(ISODate.format(now))])
        default: break
        }
    }

    /// Plans the push (`MergePlanner`, pure) from the stored states it names, read in one statement,
    /// then applies the plan: quarantines, writes with their hub seqs, conflict entries, aggregates.
    private func merge(_ request: PushRequest, from device: Device, now: Date) throws -> PushResponse {
        let nowText = ISODate.format(now)
        let known = try db.query("SELECT device, max_seq FROM replicas WHERE replica_id = ?",
                                 [.text(request.replica.description)]) { (device: $0.text(0) ?? "", maxSeq: UInt64(clamping: $0.int64(1))) }.first
        let ids = Array(Set(request.records.map(\.id) + (request.conflicts ?? []).map(\.record)))
        let stored = try storedVisits(ids).mapValues { (visit: $0.visit, state: $0.state) }
        let planner = MergePlanner(hubReplica: replicaID, maxDriftMillis: maxDriftMillis, catalogue: catalogue)
        let forgotten = try forgottenStates(ids.filter { stored[$0] == nil })
        let held = try rememberedWrites(of: request.replica, seqs: WriteRecord.seqs(in: request))
        let erasing = ErasureRights.erasing(request, stored: stored)
        let refusals = ErasureRights.refusals(erasing, owners: try replicaOwners(Set(erasing.values)), device: device, pushing: request.replica, stored: stored)
        let plan = try planner.plan(request, from: device, known: known, stored: stored, forgotten: forgotten, held: held,
                                    erasureRefusals: refusals, hubClock: try hubClock(), now: now)

        var response = plan.response
        for (record, reason) in plan.quarantines {
            response.rejected.append(try quarantine(record, device: device.id, reason: reason, now: nowText))
        }
        var hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0)
        var aggregates = ReportAggregates()
        let upsert = try db.cached(HubRow.upsertSQL)
        for write in plan.writes {
            if maintainsAggregates { aggregates.replace(write.previous, with: write.visit) }
            hubSeq += 1
            try upsert.execute(HubRow.values(write.visit, state: write.state, hubSeq: hubSeq,
                                             province: Hub.province(of: write.visit.commune), device: device.id, now: nowText,
                                             sentIn: write.asSent ? request.sentIn(by: device) : nil))
        }
        try remember(plan.newWrites)
        for conflict in plan.found + plan.accepted { try logConflict(conflict, device: device.id, now: nowText) }
        response.rejectedConflicts = plan.rejectedConflicts.isEmpty ? nil : plan.rejectedConflicts
        try aggregates.flush(to: db)

        try db.run("UPDATE hub SET hub_seq = ?, clock_ms = ?, clock_counter = ?", [
            .integer(Int64(hubSeq)), .integer(Int64(plan.hubClock.clock.millis)), .integer(Int64(plan.hubClock.clock.counter)),
        ])
        try db.run("""
            INSERT INTO replicas (replica_id, device, max_seq, first_seen_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (replica_id) DO UPDATE SET max_seq = max(max_seq, ?3)
            """, [.text(request.replica.description), .text(device.id), .integer(Int64(request.seq)), .text(nowText)])
        // An empty push (a sync with nothing to send) notes the device's sync, and leaves no batch row nor audit line:
        // a device that pushes nothing a thousand times fills nothing.
        let empty = request.records.isEmpty && (request.conflicts ?? []).isEmpty
        if !empty { try db.run("""
            INSERT INTO batches (device, batch, received_at, received, already_known, fast_forward, conflicts, rejected,
                merged, edit_vs_delete)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(device.id), .text(request.batch), .text(nowText), .integer(response.received),
                  .integer(response.alreadyKnown), .integer(response.fastForward), .integer(response.conflicts),
                  .integer(response.rejected.count), .integer(response.merged), .integer(response.editVsDelete)]) }
        try db.run("UPDATE devices SET last_sync_at = ?, last_unsynced = ? WHERE id = ?",
                   [.text(nowText), .integer(request.unsynced), .text(device.id)])
        response.hubSeq = hubSeq
        response.hubIncarnation = incarnation.isEmpty ? nil : incarnation
        response.conflictEntries = plan.found.isEmpty ? nil : plan.found
        try audit((empty ? [] : [AuditDraft.sync(response, device: device)]) + plan.erasures, now: now)
        return response
    }

    /// The devices the hub knows these replica ids of (§1: each replica id is one device's).
    func replicaOwners(_ replicas: Set<ReplicaID>) throws -> [ReplicaID: String] {
        guard !replicas.isEmpty else { return [:] }
        var owners: [ReplicaID: String] = [:]
        try db.cached("SELECT replica_id, device FROM replicas WHERE replica_id IN (SELECT value FROM json_each(?))")
            .forEach([.text(Hub.jsonArray(replicas.map(\.description)))]) { row in
                if let id = ReplicaID(row.text(0) ?? "") { owners[id] = row.text(1) ?? "" }
            }
        return owners
    }

    /// The hub's replica counters and clock, read inside the current transaction.
    func hubClock() throws -> ReplicaState {
        try db.query("SELECT seq, clock_ms, clock_counter FROM hub") { row in
            ReplicaState(id: replicaID, seq: UInt64(row.int64(0)), clockMillis: UInt64(row.int64(1)),
                         clockCounter: UInt32(truncatingIfNeeded: row.int64(2)))
        }.first ?? ReplicaState(id: replicaID)
    }

    /// Records a conflict once (its id is the same wherever it was found).
    func logConflict(_ conflict: Conflict, device: String?, now: String) throws {
        try db.cached("""
            INSERT OR IGNORE INTO conflicts (id, record, body, detected_by, device, found_at, kind) VALUES (?, ?, ?, ?, ?, ?, ?)
            """).execute([.text(conflict.id), .text(conflict.record), .text(Hub.json(conflict)),
                          .text(conflict.detectedBy.description), .text(device), .text(now), .text(conflict.kind.rawValue)])
    }


}

extension HubStore {
    /// The writes of `replica` with these seqs that the hub remembers (§1), by seq.
    func rememberedWrites(of replica: ReplicaID, seqs: [UInt64]) throws -> [UInt64: WriteRecord] {
        guard !seqs.isEmpty else { return [:] }
        var found: [UInt64: WriteRecord] = [:]
        try db.cached("SELECT seq, record, millis, counter FROM writes WHERE replica = ? AND seq IN (SELECT value FROM json_each(?))")
            .forEach([.integer(Int64(bitPattern: replica.rawValue)), .text("[" + seqs.map(String.init).joined(separator: ",") + "]")]) { row in
                let seq = UInt64(clamping: row.int64(0))
                found[seq] = WriteRecord(replica: replica, seq: seq, record: row.int64(1),
                                         stamp: Stamp(millis: UInt64(clamping: row.int64(2)), counter: UInt32(clamping: row.int64(3)), replica: replica))
            }
        return found
    }

    /// Remembers writes (the first record of a write identity stays).
    func remember(_ writes: [WriteRecord]) throws {
        guard !writes.isEmpty else { return }
        let insert = try db.cached("INSERT OR IGNORE INTO writes (replica, seq, record, millis, counter) VALUES (?, ?, ?, ?, ?)")
        for write in writes {
            try insert.execute([.integer(Int64(bitPattern: write.replica.rawValue)), .integer(Int64(clamping: write.seq)), .integer(write.record),
                                .integer(Int64(clamping: write.stamp.millis)), .integer(Int64(write.stamp.counter))])
        }
    }

    /// Which of a device's writes of one of its replicas the hub holds as the device has them (§1.1): a remembered
    /// write with the same record and stamp, or, for writes received before the hub remembered writes, a stored
    /// register with the same stamp and seq. A replica of another device, or unknown, holds nothing here.
    public func heldWrites(_ request: HeldWritesRequest, from device: Device) throws -> HeldWritesResponse {
        try read {
            let known = try db.query("SELECT device, max_seq FROM replicas WHERE replica_id = ?", [.text(request.replica.description)]) {
                (device: $0.text(0) ?? "", maxSeq: UInt64(clamping: $0.int64(1)))
            }.first
            guard let known, known.device == device.id else { return HeldWritesResponse(highWater: 0, held: []) }
            let remembered = try rememberedWrites(of: request.replica, seqs: Array(Set(request.writes.map(\.seq))))
            let stored = try storedVisits(Array(Set(request.writes.filter { remembered[$0.seq] == nil }.map(\.record))))
            return HeldWritesResponse(highWater: known.maxSeq, held: WriteRecord.held(request.writes, remembered: remembered) {
                stored[$0]?.state
            })
        }
    }

    /// A stored visit by exact id, or nil.
    func storedVisit(_ id: String) throws -> (visit: Visit, state: RecordState, hubSeq: UInt64)? {
        try db.cached("SELECT \(HubRow.columns) FROM records WHERE id = ?").query([.text(id)], row: HubRow.decode).first
    }

    /// The stored visits with these ids, read in one statement (the push's records and conflict entries).
    func storedVisits(_ ids: [String]) throws -> [String: (visit: Visit, state: RecordState, hubSeq: UInt64)] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (visit: Visit, state: RecordState, hubSeq: UInt64)] = [:]
        found.reserveCapacity(ids.count)
        try db.cached("SELECT \(HubRow.columns) FROM records WHERE id IN (SELECT value FROM json_each(?))")
            .forEach([.text(Hub.jsonArray(ids))]) { row in
                let decoded = try HubRow.decode(row)
                found[decoded.visit.id] = decoded
            }
        return found
    }
}
