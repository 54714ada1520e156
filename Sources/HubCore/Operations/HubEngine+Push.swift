import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

extension HubEngine {
    /// Merges a push in a transaction of its own (an engine may group pushes: SQLite's group commit); a refused push is
    /// logged in a transaction of its own.
    public func push(_ request: PushRequest, from device: Device) async throws -> PushResponse {
        let now = clock.now()
        do {
            // The checks that need no data are inside: a refusal they make is logged as any other.
            try planner.check(request, from: device)
            return try await transaction { try await merge(request, from: device, now: now, in: $0) }
        } catch let error as HubError {
            try await transaction { try await logRefusal(error, device: device, now: now, in: $0) }
            throw error
        }
    }

    /// Merges a push inside the caller's transaction (Protocol/README.md §6), correct with any number of writers:
    /// the pushing replica's row is locked first (the restored-laptop rule sees every earlier push of that
    /// replica), then every record the push names, in id order; the stored states are read after the locks and
    /// planned by `MergePlanner`, then the plan is applied: quarantines, rows with their change numbers, write
    /// identities, conflict entries, the batch and the audit line.
    /// - Throws: `HubError` for a push refused whole (nothing it wrote stays when the caller rolls back).
    public func merge(_ request: PushRequest, from device: Device, now: Date, in session: Session) async throws -> PushResponse {
        let nowText = ISODate.format(now)
        let dialect = session.dialect
        let replica = HubValue.text(request.replica.description)
        let created = try await session.query("""
            INSERT INTO replicas (replica_id, device, max_seq, first_seen_at) VALUES (?, ?, 0, ?) ON CONFLICT (replica_id) DO NOTHING
            RETURNING replica_id
            """, [replica, .text(device.id), .text(nowText)])
        let known = !created.isEmpty ? nil : try await session.query(
            "SELECT device, max_seq FROM replicas WHERE replica_id = ?" + dialect.forUpdate, [replica]
        ).first.map { (device: try $0.text("device") ?? "", maxSeq: try $0.counter("max_seq")) }
        let ids = Array(Set(request.records.map(\.id) + (request.conflicts ?? []).map(\.record))).sorted()
        try await session.lock(records: ids)
        let stored = try await storedVisits(ids, in: session).mapValues { (visit: $0.visit, state: $0.state) }
        let forgotten = try await forgottenStates(ids.filter { stored[$0] == nil }, in: session)
        let held = try await rememberedWrites(of: request.replica, seqs: WriteRecord.seqs(in: request), in: session)
        let erasing = ErasureRights.erasing(request, stored: stored)
        let refusals = ErasureRights.refusals(erasing, owners: try await replicaOwners(Set(erasing.values), in: session),
                                              device: device, pushing: request.replica, stored: stored)
        let clock = session.pushesKeepHubClock ? try await hubClock(in: session) : ReplicaState(id: hubReplica)
        let kinds = try await latestKinds(in: session)
        let plan = try planner.plan(request, from: device, known: known, stored: stored, forgotten: forgotten, held: held,
                                    erasureRefusals: refusals, visitKind: kinds["visit"].flatMap { $0.version > 1 ? $0 : nil },
                                    // An id the hub holds as a visit is not another kind's (the planner keeps the two apart).
                                    storedKinded: try await storedKindRecords(ids.filter { stored[$0] == nil }, in: session).mapValues(\.state),
                                    kinds: kinds,
                                    hubClock: clock, now: now)

        var response = plan.response
        for (record, reason) in plan.quarantines {
            response.rejected.append(try await quarantine(record, device: device.id, reason: reason, now: nowText, in: session))
        }
        let sentIn = request.sentIn(by: device)
        var hubSeq = try await session.writeRecords(plan.writes.map {
            RecordWrite(visit: $0.visit, state: $0.state, previous: $0.previous, device: device.id, at: nowText, sentIn: $0.asSent ? sentIn : nil)
        })
        if let last = try await writeKindRecords(plan.kindWrites.map { ($0.state, $0.kind, $0.asSent ? sentIn : nil) }, device: device.id,
                                                 now: nowText, in: session) {
            hubSeq = max(hubSeq, last)
        }
        try await remember(plan.newWrites, in: session)
        try await logConflicts(plan.found + plan.accepted, device: device.id, now: nowText, in: session)
        response.rejectedConflicts = plan.rejectedConflicts.isEmpty ? nil : plan.rejectedConflicts
        if session.pushesKeepHubClock {
            try await session.execute("UPDATE hub SET clock_ms = ?, clock_counter = ?",
                                      [.counter(plan.hubClock.clock.millis), .integer(Int64(plan.hubClock.clock.counter))])
        }
        try await session.execute("UPDATE replicas SET max_seq = \(dialect.greatest("max_seq", "?")) WHERE replica_id = ?",
                                  [.counter(request.seq), replica])
        // An empty push (a sync with nothing to send) notes the device's sync, and leaves no batch row nor audit line:
        // a device that pushes nothing a thousand times fills nothing.
        let empty = request.records.isEmpty && (request.conflicts ?? []).isEmpty
        if !empty {
            try await session.execute("""
                INSERT INTO batches (device, batch, received_at, received, already_known, fast_forward, conflicts, rejected,
                    merged, edit_vs_delete)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(device.id), .text(request.batch), .text(nowText), .integer(response.received), .integer(response.alreadyKnown),
                      .integer(response.fastForward), .integer(response.conflicts), .integer(response.rejected.count),
                      .integer(response.merged), .integer(response.editVsDelete)])
        }
        try await session.execute("UPDATE devices SET last_sync_at = ?, last_unsynced = ? WHERE id = ?",
                                  [.text(nowText), .integer(request.unsynced), .text(device.id)])
        response.hubSeq = hubSeq
        let incarnation = try await session.query("SELECT incarnation FROM hub").first?.text("incarnation") ?? ""
        response.hubIncarnation = incarnation.isEmpty ? nil : incarnation
        response.conflictEntries = plan.found.isEmpty ? nil : plan.found
        try await audit((empty ? [] : [AuditDraft.sync(response, device: device)]) + plan.erasures, now: now, in: session)
        return response
    }

    /// Keeps a refused push in the merge report (restored replica, clock ahead, out of scope), in the caller's
    /// transaction; other errors are not the device's doing and are not kept.
    public func logRefusal(_ error: HubError, device: Device, now: Date, in session: Session) async throws {
        switch error {
        case .replicaRestored(let detail, _), .clockAhead(let detail), .outOfScope(let detail):
            try await session.execute("INSERT INTO refusals (device, kind, detail, at) VALUES (?, ?, ?, ?)", [
                .text(device.id), .text(error.code.rawValue), .text(SafeText.truncated(detail, toBytes: HubLimits.refusalDetailBytes).text),
                .text(ISODate.format(now)),
            ])
        default: break
        }
    }

    /// Which of a device's writes of one of its replicas the hub holds as the device has them (§1.1): a remembered
    /// write with the same record and stamp, or, for writes received before the hub remembered writes, a stored
    /// register with the same stamp and seq. A replica of another device, or unknown, holds nothing here.
    public func heldWrites(_ request: HeldWritesRequest, from device: Device) async throws -> HeldWritesResponse {
        try await snapshot { session in
            let known = try await session.query("SELECT device, max_seq FROM replicas WHERE replica_id = ?", [.text(request.replica.description)])
                .first.map { (device: try $0.text("device") ?? "", maxSeq: try $0.counter("max_seq")) }
            guard let known, known.device == device.id else { return HeldWritesResponse(highWater: 0, held: []) }
            let remembered = try await rememberedWrites(of: request.replica, seqs: Array(Set(request.writes.map(\.seq))), in: session)
            let stored = try await storedVisits(Array(Set(request.writes.filter { remembered[$0.seq] == nil }.map(\.record))), in: session)
            return HeldWritesResponse(highWater: known.maxSeq, held: WriteRecord.held(request.writes, remembered: remembered) {
                stored[$0]?.state
            })
        }
    }

    /// The stored visits with these ids, read in one statement.
    public func storedVisits(_ ids: [String], in session: Session) async throws -> [String: StoredVisit] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: StoredVisit] = [:]
        found.reserveCapacity(ids.count)
        for row in try await session.query("SELECT \(HubRow.columns) FROM records WHERE \(session.dialect.isIn("id"))", [.texts(ids)]) {
            let visit = try HubRow.decode(row)
            found[visit.visit.id] = visit
        }
        return found
    }

    /// A stored visit by exact id, or nil.
    public func storedVisit(_ id: String, in session: Session) async throws -> StoredVisit? {
        try await storedVisits([id], in: session)[id]
    }

    /// The reduced states of compacted visits among `ids`, with their communes (a push naming one merges against it).
    func forgottenStates(_ ids: [String], in session: Session) async throws -> [String: (commune: String, state: RecordState)] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (commune: String, state: RecordState)] = [:]
        for row in try await session.query("SELECT id, commune, state FROM forgotten WHERE \(session.dialect.isIn("id"))", [.texts(ids)]) {
            let id = try row.text("id") ?? ""
            found[id] = (try row.text("commune") ?? "", try Compaction.decode(try row.blob("state") ?? [], id: id))
        }
        return found
    }

    /// The writes of `replica` with these seqs that the hub remembers (§1), by seq.
    func rememberedWrites(of replica: ReplicaID, seqs: [UInt64], in session: Session) async throws -> [UInt64: WriteRecord] {
        guard !seqs.isEmpty else { return [:] }
        var found: [UInt64: WriteRecord] = [:]
        for row in try await session.query("SELECT seq, record, millis, counter FROM writes WHERE replica = ? AND \(session.dialect.isIn("seq"))",
                                           [.integer(Int64(bitPattern: replica.rawValue)), .integers(seqs.map { Int64(clamping: $0) })]) {
            let seq = try row.counter("seq")
            found[seq] = WriteRecord(replica: replica, seq: seq, record: try row.int64("record"),
                                     stamp: Stamp(millis: try row.counter("millis"), counter: UInt32(clamping: try row.int64("counter")), replica: replica))
        }
        return found
    }

    /// Remembers writes (the first record of a write identity stays).
    func remember(_ writes: [WriteRecord], in session: Session) async throws {
        guard !writes.isEmpty else { return }
        try await session.insertRows(into: "writes", columns: ["replica", "seq", "record", "millis", "counter"], rows: writes.map { write in
            [.integer(Int64(bitPattern: write.replica.rawValue)), .counter(write.seq), .integer(write.record), .counter(write.stamp.millis),
             .integer(Int64(write.stamp.counter))]
        }, conflict: "ON CONFLICT DO NOTHING")
    }

    /// The devices the hub knows these replica ids of (§1: each replica id is one device's).
    func replicaOwners(_ replicas: Set<ReplicaID>, in session: Session) async throws -> [ReplicaID: String] {
        guard !replicas.isEmpty else { return [:] }
        var owners: [ReplicaID: String] = [:]
        for row in try await session.query("SELECT replica_id, device FROM replicas WHERE \(session.dialect.isIn("replica_id"))",
                                           [.texts(replicas.map(\.description))]) {
            if let id = ReplicaID(try row.text("replica_id") ?? "") { owners[id] = try row.text("device") ?? "" }
        }
        return owners
    }

    /// The hub's replica counters and clock, read inside the current transaction (locked until it ends where
    /// writers share the store).
    func hubClock(in session: Session) async throws -> ReplicaState {
        try await session.query("SELECT seq, clock_ms, clock_counter FROM hub" + session.dialect.forUpdate).first.map {
            ReplicaState(id: hubReplica, seq: try $0.counter("seq"), clockMillis: try $0.counter("clock_ms"),
                         clockCounter: UInt32(truncatingIfNeeded: try $0.int64("clock_counter")))
        } ?? ReplicaState(id: hubReplica)
    }

    /// Records conflict entries once each (their ids are the same wherever they were found).
    func logConflicts(_ conflicts: [Conflict], device: String?, now: String, in session: Session) async throws {
        guard !conflicts.isEmpty else { return }
        try await session.insertRows(into: "conflicts", columns: ["id", "record", "body", "detected_by", "device", "found_at", "kind"],
                                     rows: conflicts.map { conflict in
            [.text(conflict.id), .text(conflict.record), .text(Hub.json(conflict)), .text(conflict.detectedBy.description), .text(device),
             .text(now), .text(conflict.kind.rawValue)]
        }, conflict: "ON CONFLICT (id) DO NOTHING")
    }

    /// Quarantines a refused record (inside the push's transaction) and returns the rejection to report.
    ///
    /// Bounded: the payload is cut to `HubLimits.quarantinePayloadBytes` and dropped once the device's quota is used
    /// up; a record the same device sends again replaces its earlier entry and counts an attempt, so retries of one
    /// bad record never pile up.
    func quarantine(_ record: RecordState, device: String, reason: String, now: String, in session: Session) async throws -> Rejection {
        let reason = SafeText.truncated(reason, toBytes: HubLimits.quarantineReasonBytes).text
        var (payload, size) = QuarantinePayload.of(record)
        let used = try await session.query("""
            SELECT CAST(coalesce(sum(\(session.dialect.byteLength("payload"))), 0) AS BIGINT) AS used FROM quarantine
            WHERE device = ? AND resolved_at IS NULL AND record <> ?
            """, [.text(device), .text(record.id)]).first?.int("used") ?? 0
        if used + payload.utf8.count > HubLimits.quarantineQuotaBytes { payload = "" }
        try await session.execute("""
            INSERT INTO quarantine (device, record, code, reason, payload, payload_size, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (device, record) WHERE resolved_at IS NULL DO UPDATE SET
                code = EXCLUDED.code, reason = EXCLUDED.reason, payload = EXCLUDED.payload, payload_size = EXCLUDED.payload_size,
                received_at = EXCLUDED.received_at, attempts = quarantine.attempts + 1
            """, [.text(device), .text(record.id), "invalid_record", .text(reason), .text(payload), .integer(size), .text(now)])
        return Rejection(id: record.id, code: "invalid_record", message: reason)
    }

    /// Appends lines to the audit log inside the caller's transaction (a push's lines commit or roll back with
    /// it). Appenders take turns: the lock is taken last in a transaction, so it is held only until that commit.
    public func audit(_ drafts: [AuditDraft], now: Date, in session: Session) async throws {
        guard !drafts.isEmpty else { return }
        try await session.lock(named: "audit")
        var head = Hub.auditHead(try await session.query("SELECT audit_head FROM hub").first?.text("audit_head") ?? "") ?? (0, AuditEntry.genesis)
        let at = ISODate.format(now)
        for draft in drafts {
            let entry = draft.entry(after: head, at: at)
            try await session.execute("INSERT INTO audit_log (seq, at, actor, action, scope, detail, hash) VALUES (?, ?, ?, ?, ?, ?, ?)", [
                .integer(entry.seq), .text(entry.at), .text(entry.actor), .text(entry.action), .text(entry.scope), .text(entry.detail),
                .text(entry.hash),
            ])
            head = (entry.seq, entry.hash)
        }
        try await session.execute("UPDATE hub SET audit_head = ?", [.text("\(head.0):\(head.1)")])
    }
}
