import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol
import TextSafety

extension PostgresHubStore {
    /// Merges a push in one transaction, correct with any number of hub processes on the database:
    /// the pushing replica's row is locked first (the restored-laptop rule sees every earlier push of
    /// that replica), then every record the push names, in id order, by transaction-scoped advisory
    /// locks (new ids too, so two hubs cannot both create one visit); the stored states are read
    /// after the locks, planned by the same `MergePlanner` as on SQLite, and written in one statement.
    public func push(_ request: PushRequest, from device: Device) async throws -> PushResponse {
        let planner = MergePlanner(hubReplica: hubReplica, maxDriftMillis: maxDriftMillis, catalogue: catalogue)
        let now = clock.now()
        do {
            // The checks that need no data are inside: a refusal they make is logged as on SQLite.
            try planner.check(request, from: device)
            return try await transaction { try await self.merge(request, from: device, planner: planner, now: now, on: $0) }
        } catch let error as HubError {
            try await logRefusal(error, device: device, now: now)
            throw error
        }
    }

    private func merge(_ request: PushRequest, from device: Device, planner: MergePlanner, now: Date,
                       on connection: PostgresConnection) async throws -> PushResponse {
        let nowText = ISODate.format(now)
        let replica = request.replica.description
        try await connection.query("""
            INSERT INTO replicas (replica_id, device, max_seq, first_seen_at) VALUES (\(replica), \(device.id), 0, \(nowText))
            ON CONFLICT (replica_id) DO NOTHING
            """, logger: logger)
        var known: (device: String, maxSeq: UInt64)?
        for try await (owner, maxSeq) in try await connection.query(
            "SELECT device, max_seq FROM replicas WHERE replica_id = \(replica) FOR UPDATE", logger: logger).decode((String, Int64).self) {
            known = (owner, UInt64(clamping: maxSeq))
        }
        let ids = Array(Set(request.records.map(\.id) + (request.conflicts ?? []).map(\.record))).sorted()
        try await lock(records: ids, on: connection)
        let stored = try await storedVisits(ids, on: connection).mapValues { (visit: $0.visit, state: $0.state) }
        let forgotten = try await forgottenStates(ids.filter { stored[$0] == nil }, on: connection)
        let held = try await rememberedWrites(of: request.replica, seqs: WriteRecord.seqs(in: request), on: connection)
        let erasing = ErasureRights.erasing(request, stored: stored)
        let refusals = ErasureRights.refusals(erasing, owners: try await replicaOwners(Set(erasing.values), on: connection),
                                              device: device, pushing: request.replica, stored: stored)
        let plan = try planner.plan(request, from: device, known: known, stored: stored, forgotten: forgotten, held: held,
                                    erasureRefusals: refusals, hubClock: ReplicaState(id: hubReplica), now: now)

        var response = plan.response
        for (record, reason) in plan.quarantines {
            response.rejected.append(try await quarantine(record, device: device.id, reason: reason, now: nowText, on: connection))
        }
        // One row per visit: a push that names a visit twice writes its last merged state.
        var last: [String: Int] = [:]
        for (index, write) in plan.writes.enumerated() { last[write.visit.id] = index }
        let rows = plan.writes.enumerated().filter { last[$0.element.visit.id] == $0.offset }.enumerated().map { n, item in
            RecordRow(n, item.element.visit, state: item.element.state, device: device.id, now: nowText,
                      sentIn: item.element.asSent ? request.sentIn(by: device) : nil)
        }
        if !rows.isEmpty {
            var binds = PostgresBindings()
            binds.append(String(decoding: try JSONEncoder().encode(rows), as: UTF8.self))
            try await connection.query(PostgresQuery(unsafeSQL: RecordRow.upsertSQL, binds: binds), logger: logger)
        }
        try await remember(plan.newWrites, on: connection)
        try await logConflicts(plan.found + plan.accepted, device: device.id, now: nowText, on: connection)
        response.rejectedConflicts = plan.rejectedConflicts.isEmpty ? nil : plan.rejectedConflicts
        try await connection.query("""
            UPDATE replicas SET max_seq = greatest(max_seq, \(Int64(clamping: request.seq))) WHERE replica_id = \(replica)
            """, logger: logger)
        // An empty push notes the device's sync, and leaves no batch row nor audit line (as on SQLite).
        let empty = request.records.isEmpty && (request.conflicts ?? []).isEmpty
        if !empty {
            try await connection.query("""
                INSERT INTO batches (device, batch, received_at, received, already_known, fast_forward, conflicts, rejected,
                    merged, edit_vs_delete)
                VALUES (\(device.id), \(request.batch), \(nowText), \(response.received), \(response.alreadyKnown),
                        \(response.fastForward), \(response.conflicts), \(response.rejected.count), \(response.merged),
                        \(response.editVsDelete))
                """, logger: logger)
        }
        try await connection.query("""
            UPDATE devices SET last_sync_at = \(nowText), last_unsynced = \(request.unsynced) WHERE id = \(device.id)
            """, logger: logger)
        response.hubSeq = rows.isEmpty ? 0 : try await currentSeqBase(on: connection) + UInt64(rows.count - 1)
        response.hubIncarnation = incarnation
        response.conflictEntries = plan.found.isEmpty ? nil : plan.found
        try await audit((empty ? [] : [AuditDraft.sync(response, device: device)]) + plan.erasures, now: now, on: connection)
        return response
    }

    /// The devices the hub knows these replica ids of (§1: each replica id is one device's).
    func replicaOwners(_ replicas: Set<ReplicaID>, on connection: PostgresConnection) async throws -> [ReplicaID: String] {
        guard !replicas.isEmpty else { return [:] }
        var owners: [ReplicaID: String] = [:]
        for try await (replica, device) in try await connection.query(
            "SELECT replica_id, device FROM replicas WHERE replica_id = ANY(\(replicas.map(\.description)))", logger: logger)
            .decode((String, String).self) {
            if let id = ReplicaID(replica) { owners[id] = device }
        }
        return owners
    }

    /// The writes of `replica` with these seqs that the hub remembers (§1), by seq.
    func rememberedWrites(of replica: ReplicaID, seqs: [UInt64], on connection: PostgresConnection) async throws -> [UInt64: WriteRecord] {
        guard !seqs.isEmpty else { return [:] }
        var found: [UInt64: WriteRecord] = [:]
        let seqValues = seqs.map { Int64(clamping: $0) }
        for try await (seq, record, millis, counter) in try await connection.query("""
            SELECT seq, record, millis, counter FROM writes WHERE replica = \(Int64(bitPattern: replica.rawValue)) AND seq = ANY(\(seqValues))
            """, logger: logger).decode((Int64, Int64, Int64, Int64).self) {
            found[UInt64(clamping: seq)] = WriteRecord(replica: replica, seq: UInt64(clamping: seq), record: record,
                                                       stamp: Stamp(millis: UInt64(clamping: millis), counter: UInt32(clamping: counter), replica: replica))
        }
        return found
    }

    /// Remembers writes, in one statement (the first record of a write identity stays).
    func remember(_ writes: [WriteRecord], on connection: PostgresConnection) async throws {
        guard !writes.isEmpty else { return }
        let replicas = writes.map { Int64(bitPattern: $0.replica.rawValue) }, seqs = writes.map { Int64(clamping: $0.seq) }
        let records = writes.map(\.record), millis = writes.map { Int64(clamping: $0.stamp.millis) }, counters = writes.map { Int64($0.stamp.counter) }
        try await connection.query("""
            INSERT INTO writes (replica, seq, record, millis, counter)
            SELECT * FROM unnest(\(replicas)::bigint[], \(seqs)::bigint[], \(records)::bigint[], \(millis)::bigint[], \(counters)::bigint[])
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Which of a device's writes the hub holds as the device has them (§1.1), as on SQLite.
    public func heldWrites(_ request: HeldWritesRequest, from device: Device) async throws -> HeldWritesResponse {
        try await snapshot { connection in
            var known: (device: String, maxSeq: UInt64)?
            for try await (owner, maxSeq) in try await connection.query(
                "SELECT device, max_seq FROM replicas WHERE replica_id = \(request.replica.description)", logger: self.logger)
                .decode((String, Int64).self) { known = (owner, UInt64(clamping: maxSeq)) }
            guard let known, known.device == device.id else { return HeldWritesResponse(highWater: 0, held: []) }
            let remembered = try await self.rememberedWrites(of: request.replica, seqs: Array(Set(request.writes.map(\.seq))), on: connection)
            let stored = try await self.storedVisits(Array(Set(request.writes.filter { remembered[$0.seq] == nil }.map(\.record))),
                                                     on: connection)
            return HeldWritesResponse(highWater: known.maxSeq, held: WriteRecord.held(request.writes, remembered: remembered) {
                stored[$0]?.state
            })
        }
    }

    /// Transaction-scoped locks on record ids, taken in the order given (sorted by the caller: no deadlocks
    /// between pushes), held until commit.
    func lock(records ids: [String], on connection: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await connection.query("""
            SELECT pg_advisory_xact_lock(hashtextextended(id, 0)) FROM unnest(\(ids)::text[]) WITH ORDINALITY AS x(id, n) ORDER BY n
            """, logger: logger)
    }

    /// The hub seq base of the current transaction: its id shifted left 16 bits.
    func currentSeqBase(on connection: PostgresConnection) async throws -> UInt64 {
        var base: Int64 = 0
        for try await value in try await connection.query("SELECT pg_current_xact_id()::text::bigint << 16", logger: logger)
            .decode(Int64.self) { base = value }
        return UInt64(clamping: base)
    }

    /// The stored visits with these ids, read in one statement.
    func storedVisits(_ ids: [String], on connection: PostgresConnection) async throws
        -> [String: (visit: Visit, state: RecordState, hubSeq: UInt64)] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: (visit: Visit, state: RecordState, hubSeq: UInt64)] = [:]
        let sql = "SELECT \(HubRow.columns) FROM records WHERE id = ANY($1::text[])"
        var binds = PostgresBindings()
        binds.append(ids)
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger) {
            let decoded = try HubRow.decode(PostgresColumns(row))
            found[decoded.visit.id] = decoded
        }
        return found
    }

    /// Records conflict entries once each (their ids are the same wherever they were found).
    func logConflicts(_ conflicts: [Conflict], device: String?, now: String, on connection: PostgresConnection) async throws {
        for conflict in conflicts {
            try await connection.query("""
                INSERT INTO conflicts (id, record, body, detected_by, device, found_at, kind)
                VALUES (\(conflict.id), \(conflict.record), \(Hub.json(conflict)), \(conflict.detectedBy.description),
                        \(device), \(now), \(conflict.kind.rawValue))
                ON CONFLICT (id) DO NOTHING
                """, logger: logger)
        }
    }

    /// Quarantines a refused record, bounded as on SQLite (HubStore+Quarantine.swift).
    func quarantine(_ record: RecordState, device: String, reason: String, now: String,
                    on connection: PostgresConnection) async throws -> Rejection {
        let reason = SafeText.truncated(reason, toBytes: HubLimits.quarantineReasonBytes).text
        var (payload, size) = QuarantinePayload.of(record)
        var used: Int64 = 0
        for try await value in try await connection.query("""
            SELECT coalesce(sum(octet_length(payload)), 0)::bigint FROM quarantine
            WHERE device = \(device) AND resolved_at IS NULL AND record <> \(record.id)
            """, logger: logger).decode(Int64.self) { used = value }
        if Int(used) + payload.utf8.count > HubLimits.quarantineQuotaBytes { payload = "" }
        try await connection.query("""
            INSERT INTO quarantine (device, record, code, reason, payload, payload_size, received_at)
            VALUES (\(device), \(record.id), 'invalid_record', \(reason), \(payload), \(size), \(now))
            ON CONFLICT (device, record) WHERE resolved_at IS NULL DO UPDATE SET
                code = EXCLUDED.code, reason = EXCLUDED.reason, payload = EXCLUDED.payload, payload_size = EXCLUDED.payload_size,
                received_at = EXCLUDED.received_at, attempts = quarantine.attempts + 1
            """, logger: logger)
        return Rejection(id: record.id, code: "invalid_record", message: reason)
    }

    /// Keeps a refused push in the merge report (restored replica, clock ahead, out of scope).
    func logRefusal(_ error: HubError, device: Device, now: Date) async throws {
        switch error {
        case .replicaRestored(let detail, _), .clockAhead(let detail), .outOfScope(let detail):
            let detail = SafeText.truncated(detail, toBytes: HubLimits.refusalDetailBytes).text
            try await transaction { connection in
                try await connection.query("""
                    INSERT INTO refusals (device, kind, detail, at)
                    VALUES (\(device.id), \(error.code.rawValue), \(detail), \(ISODate.format(now)))
                    """, logger: logger)
            }
        default: break
        }
    }
}
