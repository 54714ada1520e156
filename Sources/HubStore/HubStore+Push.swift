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
                        try check(request, from: device)
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

    /// The checks that need no data.
    func check(_ request: PushRequest, from device: Device) throws {
        guard device.role == .volunteer else {
            throw HubError.outOfScope("coordinator tokens read reports; only volunteers' devices push visits")
        }
        guard request.records.count <= WireLimits.maxPushRecords else {
            throw HubError.invalidRequest("a push carries at most \(WireLimits.maxPushRecords) records, this one \(request.records.count)")
        }
        guard !request.batch.isEmpty, request.batch.utf8.count <= 64 else {
            throw HubError.invalidRequest("a batch id is 1–64 characters")
        }
        guard request.replica.rawValue != 0, request.replica != replicaID else {
            throw HubError.invalidRequest("replica id \(request.replica) is reserved (zero, or the hub's own): take a random one")
        }
    }

    /// Keeps a refused push in the merge report (restored replica, clock ahead, out of scope).
    func logRefusal(_ error: HubError, device: Device, now: Date) throws {
        switch error {
        case .replicaRestored(let detail), .clockAhead(let detail), .outOfScope(let detail):
            try db.run("INSERT INTO refusals (device, kind, detail, at) VALUES (?, ?, ?, ?)",
                       [.text(device.id), .text(error.code.rawValue),
                        .text(SafeText.truncated(detail, toBytes: HubLimits.refusalDetailBytes).text), .text(ISODate.format(now))])
        default: break
        }
    }

    private func merge(_ request: PushRequest, from device: Device, now: Date) throws -> PushResponse {
        let nowText = ISODate.format(now)
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))

        // The restored-laptop rule: a replica's seq never goes back, and a replica is one laptop's.
        let known = try db.query("SELECT device, max_seq FROM replicas WHERE replica_id = ?",
                                 [.text(request.replica.description)]) { ($0.text(0) ?? "", UInt64($0.int64(1))) }.first
        if let known, known.0 != device.id {
            throw HubError.replicaRestored("replica \(request.replica) already belongs to another device (a copied store): "
                                           + "take a new replica id")
        }
        // A lower seq is refused only if the push would change something: a late duplicate of an old
        // push (everything in it already known) is a harmless no-op, not a restored laptop.
        let stale = known.map { request.seq < $0.1 } ?? false
        func refuseIfStale() throws {
            guard stale, let known else { return }
            throw HubError.replicaRestored("this laptop reports change \(request.seq) but the hub has seen \(known.1) from it: "
                                           + "the store was restored from an older copy; take a new replica id")
        }

        // Scope and clock, for every record, before anything is written.
        let find = try db.cached("SELECT \(HubRow.columns) FROM records WHERE id = ?")
        var stored: [String: (visit: Visit, state: RecordState, hubSeq: UInt64)] = [:]
        for record in request.records {
            if let commune = record["commune"]?.value.text, !device.covers(commune: commune) {
                throw HubError.outOfScope("visit \(SafeText.quote(record.id)) is in commune \(SafeText.quote(commune)), "
                                          + "outside this device's \(device.scopeText): nothing was saved")
            }
            if let row = try find.query([.text(record.id)], row: HubRow.decode).first {
                guard device.covers(commune: row.visit.commune) else {
                    throw HubError.outOfScope("visit \(record.id) belongs to commune \(row.visit.commune), "
                                              + "outside this device's \(device.scopeText)")
                }
                stored[record.id] = row
            }
            for stamp in record.stamps {
                do {
                    try HybridClock.check(stamp, now: millis, maxDrift: maxDriftMillis)
                } catch {
                    throw HubError.clockAhead("\(error)")
                }
            }
        }

        var hub = try hubClock()
        var hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0)
        var response = PushResponse(batch: request.batch, received: request.records.count)
        var found: [Conflict] = []
        var aggregates = ReportAggregates()
        let upsert = try db.cached(HubRow.upsertSQL)
        for record in request.records {
            if let problem = Self.problem(with: record) {
                response.rejected.append(try quarantine(record, device: device.id, reason: problem, now: nowText))
                continue
            }
            let current = stored[record.id]
            let outcome = Merge.receive(record, into: current?.state, detectedBy: replicaID, groups: VisitField.groupNames)
            hub.observe(record, now: millis)
            if let current, outcome.merged == current.state {
                // Nothing new (a retry, or a state the hub already passed on): nothing to validate or write.
                response.alreadyKnown += 1
                continue
            }
            try refuseIfStale()
            if let reuse = Merge.reusedIdentity(record, stored: current?.state, replica: request.replica) {
                throw HubError.replicaRestored("visit \(SafeText.quote(record.id)): \(reuse) — the store was restored "
                                               + "from an older copy; take a new replica id")
            }
            let incoming: Visit
            do {
                incoming = try Visit(state: record, catalogue: catalogue)
                try Visit.checkDate(incoming.visitedAt, now: now)
            } catch {
                response.rejected.append(try quarantine(record, device: device.id, reason: error.description, now: nowText))
                continue
            }
            switch outcome.classification {
            case .alreadyKnown: response.alreadyKnown += 1
            case .fastForward: response.fastForward += 1
            case .merged: response.merged += 1
            case .conflict: response.conflicts += 1
            case .editVsDelete: response.editVsDelete += 1
            }
            if let conflict = outcome.conflict {
                found.append(conflict)
                try logConflict(conflict, device: device.id, now: nowText)
            }
            guard outcome.merged != current?.state else { continue }
            let visit = current == nil ? incoming : try Visit(state: outcome.merged, catalogue: catalogue)
            if maintainsAggregates { aggregates.replace(current?.visit, with: visit) }
            hubSeq += 1
            try upsert.execute(HubRow.values(visit, state: outcome.merged, hubSeq: hubSeq,
                                             province: Self.province(of: visit.commune), device: device.id, now: nowText))
            stored[record.id] = (visit, outcome.merged, hubSeq)
        }
        if !(request.conflicts ?? []).isEmpty { try refuseIfStale() }
        var rejectedConflicts: [Rejection] = []
        for conflict in request.conflicts ?? [] {
            if let refusal = try conflictRefusal(conflict, device: device, stored: stored, millis: millis) {
                rejectedConflicts.append(refusal)
            } else {
                try logConflict(conflict, device: device.id, now: nowText)
            }
        }
        response.rejectedConflicts = rejectedConflicts.isEmpty ? nil : rejectedConflicts
        try aggregates.flush(to: db)

        try db.run("UPDATE hub SET hub_seq = ?, clock_ms = ?, clock_counter = ?", [
            .integer(Int64(hubSeq)), .integer(Int64(hub.clock.millis)), .integer(Int64(hub.clock.counter)),
        ])
        try db.run("""
            INSERT INTO replicas (replica_id, device, max_seq, first_seen_at) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT (replica_id) DO UPDATE SET max_seq = max(max_seq, ?3)
            """, [.text(request.replica.description), .text(device.id), .integer(Int64(request.seq)), .text(nowText)])
        try db.run("""
            INSERT INTO batches (device, batch, received_at, received, already_known, fast_forward, conflicts, rejected,
                merged, edit_vs_delete)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(device.id), .text(request.batch), .text(nowText), .integer(response.received),
                  .integer(response.alreadyKnown), .integer(response.fastForward), .integer(response.conflicts),
                  .integer(response.rejected.count), .integer(response.merged), .integer(response.editVsDelete)])
        try db.run("UPDATE devices SET last_sync_at = ?, last_unsynced = ? WHERE id = ?",
                   [.text(nowText), .integer(request.unsynced), .text(device.id)])
        response.hubSeq = hubSeq
        response.hubIncarnation = incarnation.isEmpty ? nil : incarnation
        response.conflictEntries = found.isEmpty ? nil : found
        return response
    }

    /// Structural problems SyncCore cannot see: a stamp whose writer is not in the vector, an empty vector.
    static func problem(with record: RecordState) -> String? {
        if record.version.isEmpty { return "the record has an empty version vector" }
        for field in record.fields where record.version[field.register.stamp.replica] == 0 {
            return "field \(field.name) is stamped by replica \(field.register.stamp.replica), which is not in the version vector"
        }
        return nil
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
            """).execute([.text(conflict.id), .text(conflict.record), .text(Self.json(conflict)),
                          .text(conflict.detectedBy.description), .text(device), .text(now), .text(conflict.kind.rawValue)])
    }

    /// A value as sorted-key JSON text.
    static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Losing this error is safe: encoding these Encodable value types cannot fail; "{}" is never written in practice.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

extension HubStore {
    /// Why a conflict entry a device pushed is not kept, or nil to keep it. An entry must concern a visit
    /// the hub holds inside the device's scope, name visit fields only, and carry values that pass the
    /// same checks as a record's: a device cannot plant made-up values in another commune's report.
    func conflictRefusal(_ conflict: Conflict, device: Device, stored: [String: (visit: Visit, state: RecordState, hubSeq: UInt64)],
                         millis: UInt64) throws -> Rejection? {
        func refuse(_ code: String, _ message: String) -> Rejection { Rejection(id: conflict.id, code: code, message: message) }
        guard let current = try stored[conflict.record] ?? storedVisit(conflict.record) else {
            return refuse("invalid_conflict", "conflict \(conflict.id) concerns visit \(SafeText.quote(conflict.record)), which the hub does not hold")
        }
        guard device.covers(commune: current.visit.commune) else {
            return refuse("out_of_scope", "conflict \(conflict.id) concerns a visit outside this device's \(device.scopeText)")
        }
        guard !conflict.fields.isEmpty, conflict.fields.count <= VisitField.allCases.count,
              Set(conflict.fields.map(\.field)).count == conflict.fields.count
        else { return refuse("invalid_conflict", "conflict \(conflict.id) lists no fields, too many, or one twice") }
        for difference in conflict.fields {
            guard let field = VisitField(rawValue: difference.field) else {
                return refuse("invalid_conflict", "conflict \(conflict.id) names \(SafeText.quote(difference.field)), which visits do not have")
            }
            guard difference.stored != nil || difference.incoming != nil else {
                return refuse("invalid_conflict", "conflict \(conflict.id) gives no value for \(field.rawValue)")
            }
            for register in [difference.stored, difference.incoming].compactMap({ $0 }) {
                do {
                    try field.check(register.value, catalogue: catalogue)
                    try HybridClock.check(register.stamp, now: millis, maxDrift: maxDriftMillis)
                } catch {
                    return refuse("invalid_conflict", "conflict \(conflict.id), field \(field.rawValue): \(error)")
                }
            }
        }
        return nil
    }

    /// A stored visit by exact id, or nil.
    func storedVisit(_ id: String) throws -> (visit: Visit, state: RecordState, hubSeq: UInt64)? {
        try db.cached("SELECT \(HubRow.columns) FROM records WHERE id = ?").query([.text(id)], row: HubRow.decode).first
    }
}
