import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit
import SyncCore
import SyncProtocol

/// Where and as whom this store syncs.
public struct Enrollment: Sendable, Equatable {
    /// The hub's base URL.
    public let server: String
    /// The device token (sent as a bearer header).
    public let token: String
    /// The hub's id for this device.
    public let device: String
    /// Whether the volunteer allowed plain HTTP to a hub on another machine (`enroll --insecure-http`).
    public let insecureHTTP: Bool
}

/// The next batch a push should send.
public struct PendingPush: Sendable {
    /// Full states of the visits written here and not yet acknowledged, oldest write first.
    public let states: [RecordState]
    /// Conflicts found here and not yet pushed.
    public let conflicts: [Conflict]
    /// The number of the latest local write in the batch (the checkpoint after an acknowledgement).
    public let lastWrite: Int64
    /// Visits still pending after this batch.
    public let remaining: Int
    /// The replica's current seq.
    public let seq: UInt64
    /// The replica id the batch is pushed as.
    public let replica: ReplicaID
    /// A batch id, the same if the batch is retried.
    public let batch: String
    /// This replica's writes to the batch's visits, since its last acknowledged push, that their registers no
    /// longer show (Protocol/README.md §1).
    public let writes: [WriteRef]

    /// The push request that sends the batch.
    public func request(batch name: String? = nil, pullAfter: UInt64? = nil, sync: String? = nil) -> PushRequest {
        PushRequest(replica: replica, seq: seq, batch: name ?? batch, unsynced: remaining, records: states,
                    conflicts: conflicts.isEmpty ? nil : conflicts, pullAfter: pullAfter, sync: sync, writes: writes.isEmpty ? nil : writes)
    }

    /// What acknowledging the batch needs.
    public var receipt: PushReceipt {
        PushReceipt(lastWrite: lastWrite, records: states.map(\.id), conflicts: conflicts.map(\.id))
    }
}

/// What a push batch sent, as its acknowledgement needs it (kept for an offline bundle until its answer comes).
public struct PushReceipt: Codable, Sendable {
    /// The number of the latest local write in the batch.
    public let lastWrite: Int64
    /// The visits and conflict entries it carried.
    public let records: [String]
    public let conflicts: [String]
}

/// A visit the hub refused, flagged on the laptop until a later edit is accepted.
public struct FlaggedVisit: Sendable, Codable, Equatable {
    public let record: String
    public let code: String
    public let message: String
    public let at: String
}

extension FieldStore {
    /// The hub this store is enrolled with, if any.
    /// In an encrypted store the device token is sealed under the store's key like the visits: a copy of a locked
    /// laptop's files cannot sync (`StoreError.locked` until `fieldsync unlock`).
    public func enrollment() throws -> Enrollment? {
        let found = try read { () throws -> (Enrollment, sealed: Bool)? in
            guard let server = try setting(SettingKey.server), let stored = try setting(SettingKey.token),
                  let device = try setting(SettingKey.device)
            else { return nil }
            return (Enrollment(server: server, token: try openText(stored, row: Self.tokenRow), device: device,
                               insecureHTTP: try setting(SettingKey.insecureHTTP) == "1"), stored.hasPrefix(Self.sealedPrefix))
        }
        guard let (enrollment, sealed) = found else { return nil }
        // A token saved in clear before the store was encrypted (or by an older FieldSync) is sealed now.
        if !sealed, sealer != nil { try write { try setSetting(SettingKey.token, try sealText(enrollment.token, row: Self.tokenRow)) } }
        return enrollment
    }

    /// The row name the device token is sealed under.
    static let tokenRow = "settings.token"

    /// Saves what enrolment returned, pinning the hub's pseudonym key (visits already logged get
    /// pseudonyms at the first sync).
    public func saveEnrollment(server: String, response: EnrollResponse, insecureHTTP: Bool = false) throws {
        try write {
            try setSetting(SettingKey.insecureHTTP, insecureHTTP ? "1" : nil)
            try setSetting(SettingKey.server, server)
            try setSetting(SettingKey.token, try sealText(response.token, row: Self.tokenRow))
            try setSetting(SettingKey.device, response.device)
            if let key = response.pseudonymKey { try pin(key) }
            if let recovery = response.recoveryKey {
                try setSetting(SettingKey.hubRecoveryKey, recovery)
                if case .unlocked(let secret)? = sealer { try wrapForRecovery(secret) }
            }
            if let keys = response.hubBundleKeys, EnrollRequest.isBundleKeys(keys) { try setSetting(SettingKey.hubBundleKeys, keys) }
            if let key = response.releaseKey, Data(base64Encoded: key)?.count == 32 { try setSetting(SettingKey.releaseKey, key) }
            try setSetting(SettingKey.hubReplica, response.hubReplica.description)
            if let certificate = response.certificate { try savePeerCredentials(certificate, revoked: []) }
            try setSetting(SettingKey.maxDrift, "\(response.maxDriftMillis)")
            try setSetting(SettingKey.scopeCommune, response.scope.commune)
        }
    }

    /// Replaces this store's enrolment (a revoked laptop, or one moved to another commune), keeping every
    /// visit. The store takes a new replica id (the hub binds the old one to the old device), which
    /// re-issues every write the hub never acknowledged; another commune or hub restarts the pull.
    /// A crash between the steps is healed by the next sync (the hub answers 409 and the store re-identifies).
    public func reenroll(server: String, response: EnrollResponse, insecureHTTP: Bool = false, now: Date = Date()) throws {
        let before = try enrollment()
        let oldScope = try read { try setting(SettingKey.scopeCommune) }
        try saveEnrollment(server: server, response: response, insecureHTTP: insecureHTTP)
        if oldScope != response.scope.commune || before?.server != server {
            try write { try setSetting(SettingKey.pullCursor, nil) }
        }
        try reidentify(reason: "re-enrolled as device \(response.device)", now: now)
    }

    /// How many visits have local writes the hub has not acknowledged.
    public func unsyncedCount() throws -> Int {
        try read {
            let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            return try (db.scalarInt("SELECT count(*) FROM visits WHERE (own_seq > ? AND own_seq > 0) OR resend = 1", [.integer(acked)]) ?? 0)
                + (db.scalarInt("SELECT count(*) FROM kind_records WHERE own_seq > ?", [.integer(acked)]) ?? 0)
        }
    }

    /// The next batch of visits written here that the hub has not acknowledged.
    ///
    /// A visit of a commune outside the device's scope is not sent (the hub would refuse the whole
    /// batch): it is flagged, and goes once an edit moves it to the device's commune.
    /// - Parameters:
    ///   - backlog: the unacknowledged count if the caller knows it (`remaining` is derived from it).
    ///   - after: the last write of a batch still on its way: the next writes only, without the visits sent
    ///     again (pseudonyms, scope) or conflict entries, which go with a batch that starts from the checkpoint.
    public func pendingPush(limit: Int = WireLimits.maxPushRecords, backlog: Int? = nil, after: Int64? = nil,
                            now: Date = Date()) throws -> PendingPush {
        try write {
            let checkpoint = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            let acked = max(checkpoint, after ?? 0)
            var rows = try db.query("SELECT \(VisitRow.columns), own_seq FROM visits WHERE own_seq > ? AND own_seq > 0 ORDER BY own_seq LIMIT ?",
                                    [.integer(acked), .integer(limit)]) { row in (try decodeVisit(row), row.int64("own_seq")) }
            // Records of other kinds go in the same batches, in the order of their writes (§12).
            var others = try db.query("SELECT kind, state, id, own_seq FROM kind_records WHERE own_seq > ? ORDER BY own_seq LIMIT ?",
                                      [.integer(acked), .integer(limit)]) { row in (try openRecord(row), row.int64(3)) }
            if !others.isEmpty, let cut = (rows.map(\.1) + others.map(\.1)).sorted().dropFirst(limit - 1).first {
                rows.removeAll { $0.1 > cut }
                others.removeAll { $0.1 > cut }
            }
            let lastRow = max(rows.last?.1 ?? 0, others.last?.1 ?? 0) == 0 ? nil : max(rows.last?.1 ?? 0, others.last?.1 ?? 0)
            let again = after == nil
            if let scope = try setting(SettingKey.scopeCommune) {
                // Visits held back for their commune go as soon as the scope covers them (after a re-enrolment).
                if again {
                    rows += try db.query("""
                        SELECT \(VisitRow.columns), own_seq FROM visits WHERE own_seq <= ? AND commune = ?
                            AND id IN (SELECT record FROM rejections WHERE code = 'out_of_scope') LIMIT ?
                        """, [.integer(acked), .text(scope), .integer(max(0, limit - rows.count))]) { row in (try decodeVisit(row), row.int64("own_seq")) }
                }
                for (stored, _) in rows where stored.visit.commune != scope && !stored.visit.deleted {
                    try db.run("INSERT OR REPLACE INTO rejections (record, code, message, at) VALUES (?, 'out_of_scope', ?, ?)", [
                        .text(stored.visit.id),
                        .text("its commune \(stored.visit.commune) is outside this laptop's commune \(scope): "
                              + "`fieldsync edit \(stored.visit.id.suffix(8)) --commune \(scope)` sends it, "
                              + "`fieldsync delete \(stored.visit.id.suffix(8))` drops it"),
                        .text(ISODate.format(now)),
                    ])
                }
                // A deleted visit of another commune was never sent: nothing to send, nothing to flag.
                rows.removeAll { $0.0.visit.commune != scope }
                others.removeAll { $0.0["commune"]?.value.text != scope }
            }
            // Visits the hub has whose pseudonym was filled in since: the same writes, sent again.
            if again {
                rows += try db.query("SELECT \(VisitRow.columns), own_seq FROM visits WHERE resend = 1 AND own_seq <= ? LIMIT ?",
                                     [.integer(acked), .integer(max(0, limit - rows.count))]) { row in (try decodeVisit(row), row.int64("own_seq")) }
            }
            let total = try backlog ?? ((db.scalarInt("SELECT count(*) FROM visits WHERE (own_seq > ? AND own_seq > 0) OR resend = 1",
                                                     [.integer(acked)]) ?? 0)
                                        + (db.scalarInt("SELECT count(*) FROM kind_records WHERE own_seq > ?", [.integer(acked)]) ?? 0))
            let conflicts = again ? try db.query("SELECT id, body FROM conflicts WHERE pushed = 0 ORDER BY detected_at LIMIT 2000") { row in
                try JSONDecoder().decode(Conflict.self, from: Data(try openText(row.text(1) ?? "", row: row.text(0) ?? "").utf8))
            } : []
            let replica = try loadReplica()
            let first = min(rows.first?.1 ?? .max, others.first?.1 ?? .max) == .max ? acked : min(rows.first?.1 ?? .max, others.first?.1 ?? .max)
            let last = lastRow ?? acked
            let taken = min(total, limit)
            let states = rows.map(\.0.state) + others.map(\.0)
            return PendingPush(states: states, conflicts: conflicts, lastWrite: last,
                               remaining: total - taken, seq: replica.seq, replica: replica.id,
                               batch: "\(profile.replicaID)-\(first)-\(last)", writes: try replacedWrites(of: states, by: replica))
        }
    }

    /// The journal's writes of `replica` to these states, since its last acknowledged push, that their registers
    /// no longer show (inside the caller's transaction).
    func replacedWrites(of states: [RecordState], by replica: ReplicaState) throws -> [WriteRef] {
        guard !states.isEmpty else { return [] }
        let pushed = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
        let acknowledged = max(0, pushed - (try localWrites() - Int64(replica.seq)))
        var shown: Set<UInt64> = []
        for state in states {
            for field in state.fields where field.register.stamp.replica == replica.id { shown.insert(field.register.seq) }
        }
        return try db.query("""
            SELECT seq, record, millis, counter FROM journal WHERE replica = ? AND seq > ? AND record IN (SELECT value FROM json_each(?))
            ORDER BY seq
            """, [.text(replica.id.description), .integer(acknowledged), .text(Self.jsonList(states.map(\.id)))]) { row in
            WriteRef(record: row.text(1) ?? "", seq: UInt64(clamping: row.int64(0)),
                     stamp: Stamp(millis: UInt64(clamping: row.int64(2)), counter: UInt32(clamping: row.int64(3)), replica: replica.id))
        }.filter { !shown.contains($0.seq) }.prefix(PushRequest.maxWrites).map { $0 }
    }

    /// Records the hub's answer to a push: moves the checkpoint, marks conflicts sent, flags rejections.
    public func acknowledge(_ push: PendingPush, response: PushResponse, now: Date = Date()) throws {
        try acknowledge(push.receipt, response: response, now: now)
    }

    /// Records the hub's answer to a push batch, from what the batch sent.
    public func acknowledge(_ push: PushReceipt, response: PushResponse, now: Date = Date()) throws {
        try write {
            let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            try setSetting(SettingKey.pushedSeq, "\(max(acked, push.lastWrite))")
            try db.run("UPDATE conflicts SET pushed = 1 WHERE id IN (SELECT value FROM json_each(?))", [.text(Self.jsonList(push.conflicts))])
            // Entries the hub found merging this push are told now: logged here, so the pull page that brings
            // them back does not tell them again.
            for conflict in response.conflictEntries ?? [] { try logConflict(conflict, now: now, pushed: true) }
            try db.run("UPDATE visits SET resend = 0 WHERE resend = 1 AND id IN (SELECT value FROM json_each(?))",
                       [.text(Self.jsonList(push.records))])
            let rejected = Set(response.rejected.map(\.id))
            try db.run("DELETE FROM rejections WHERE record IN (SELECT value FROM json_each(?))",
                       [.text(Self.jsonList(push.records.filter { !rejected.contains($0) }))])
            // Visits the hub had compacted and this push did not change: nothing of them is pending any more.
            _ = try forget(response.forgotten ?? [])
            // A visit deleted here meanwhile stays unflagged: the hub keeps its refused payload for the coordinator.
            for rejection in response.rejected where try storedVisit(id: rejection.id)?.visit.deleted != true {
                try db.run("INSERT OR REPLACE INTO rejections (record, code, message, at) VALUES (?, ?, ?, ?)",
                           [.text(rejection.id), .text(rejection.code), .text(try sealText(rejection.message, row: rejection.id)),
                            .text(ISODate.format(now))])
            }
        }
    }

    /// The hub change counter of the last pulled page this store applied.
    public func pullCursor() throws -> UInt64 {
        try read { UInt64(try setting(SettingKey.pullCursor) ?? "0") ?? 0 }
    }

    /// Merges a pulled page and stores its cursor in the same transaction.
    @discardableResult
    public func apply(_ page: PullPage, now: Date = Date()) throws -> ReceiveSummary {
        var heard: [Conflict] = []
        var forgotten = 0
        var restart = false
        var summary = try receive(page.records, now: now) {
            restart = try self.noteScopeVillages(page.villages)
            // Entries the hub found about this laptop's writes: kept in the local log (as already at
            // the hub) and told once, the first time they arrive.
            for conflict in page.conflicts ?? [] {
                try self.logConflict(conflict, now: now, pushed: true)
                if self.db.changes > 0 { heard.append(conflict) }
            }
            forgotten = try self.forget(page.forgotten ?? [])
            try self.setSetting(SettingKey.pullCursor, restart ? nil : "\(page.cursor)")
        }
        summary.heard = heard
        summary.forgotten = forgotten
        summary.restartPull = restart
        return summary
    }

    /// Removes the visits the hub compacted below its tombstone horizon (Protocol/README.md §7.2), with
    /// their conflict entries and refusals. A visit with a local write the hub has not acknowledged
    /// stays: its next push merges it with the hub's reduced tombstone and it comes back deleted.
    /// - Returns: how many visits went.
    func forget(_ ids: [String]) throws -> Int {
        guard !ids.isEmpty else { return 0 }
        let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
        var removed = 0
        for id in ids {
            try db.run("DELETE FROM visits WHERE id = ? AND own_seq <= ?", [.text(id), .integer(acked)])
            if db.changes > 0 {
                removed += 1
                try purge(record: id)
            } else {
                // Kept for its pending write: the entries the hub had about it went with the compaction.
                try db.run("DELETE FROM conflicts WHERE record = ? AND pushed = 1", [.text(id)])
            }
        }
        return removed
    }

    /// Notes a finished sync, and folds the WAL into the store file: a copy of the .sqlite file alone
    /// then holds everything up to this sync.
    public func finishSync(now: Date = Date()) throws {
        try write {
            try setSetting(SettingKey.lastSync, ISODate.format(now))
            try removeLeftovers()
        }
        try read { try db.checkpoint() }
    }

    /// Notes the hub's incarnation from a push answer. When it differs from the one seen before, the hub
    /// was restored from a backup: every write of this store is made pending again and the pull starts
    /// over, so the hub gets back what the backup lacked (Protocol/README.md §6).
    /// - Returns: whether the hub went back.
    public func noteHubIncarnation(_ incarnation: String?) throws -> Bool {
        guard let incarnation else { return false }
        return try write {
            let seen = try setting(SettingKey.hubIncarnation)
            guard seen != incarnation else { return false }
            try setSetting(SettingKey.hubIncarnation, incarnation)
            guard seen != nil else { return false }
            try setSetting(SettingKey.pushedSeq, nil)
            try setSetting(SettingKey.pullCursor, nil)
            return true
        }
    }

    /// The content codings the hub takes in request bodies, as it last said (empty before it said any).
    public func hubEncodings() throws -> Set<String> {
        try read { Set((try setting(SettingKey.hubEncodings) ?? "").split(separator: ",").map(String.init)) }
    }

    /// The record kinds the hub published, as it last answered (nil before the first sync with a hub that has them).
    public func hubKinds() throws -> Data? {
        try read { try setting(SettingKey.kinds).map { Data($0.utf8) } }
    }

    /// Keeps the record kinds the hub answered with, when it had announced `announced` published versions.
    public func saveHubKinds(_ document: Data, announced: Int) throws {
        try write {
            try setSetting(SettingKey.kinds, String(decoding: document, as: UTF8.self))
            try setSetting(SettingKey.kindsFetched, "\(announced)")
        }
    }

    /// Notes how many kind versions a sync answer announced (a write only when it changed).
    public func noteKindsAnnounced(_ count: Int) throws {
        guard try kindsToFetch().announced != count else { return }
        try write { try setSetting(SettingKey.kindsAnnounced, "\(count)") }
    }

    /// The announced count, and whether the kept kinds are behind it.
    public func kindsToFetch() throws -> (announced: Int, behind: Bool) {
        try read {
            let announced = Int(try setting(SettingKey.kindsAnnounced) ?? "") ?? 0
            return (announced, announced > (Int(try setting(SettingKey.kindsFetched) ?? "") ?? 0))
        }
    }

    /// Remembers the content codings the hub takes (from an answer's `Accept-Encoding`), so the next
    /// sync's first push goes compressed.
    public func noteHubEncodings(_ encodings: Set<String>) throws {
        guard try hubEncodings() != encodings else { return }
        try write { try setSetting(SettingKey.hubEncodings, encodings.isEmpty ? nil : encodings.sorted().joined(separator: ",")) }
    }

    /// The commune this laptop may send visits of: the one its enrolment gave, or its own before that.
    public func scopeCommune() throws -> String {
        try read { try setting(SettingKey.scopeCommune) } ?? profile.commune
    }

    /// Visits the hub refused, still flagged.
    public func flaggedVisits() throws -> [FlaggedVisit] {
        try read {
            try db.query("SELECT record, code, message, at FROM rejections ORDER BY at, record") { row in
                let record = row.text(0) ?? ""
                // The hub's message may quote what was sent: sealed in an encrypted store, shown once unlocked.
                let message: String
                do { message = try openText(row.text(2) ?? "", row: record) } catch StoreError.locked {
                    message = "(locked: `fieldsync unlock` shows why)"
                }
                return FlaggedVisit(record: record, code: row.text(1) ?? "", message: message, at: row.text(3) ?? "")
            }
        }
    }

    /// Writes again, as `fresh`, every write of `retired` the hub has not acknowledged, on states whose
    /// vectors claim only what the hub acknowledged of `retired` (SyncCore.Reissue). Local writes and
    /// the retired identity's seqs move in step, so the acknowledged seq is the checkpoint less their offset.
    private func reissue(retired: ReplicaState, as fresh: ReplicaState, held: Set<UInt64>?, now millis: UInt64) throws {
        var replica = fresh
        var writes = try localWrites()
        let pushed = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
        let acknowledged = UInt64(max(0, pushed - (writes - Int64(retired.seq))))
        let pending = try db.query("SELECT \(VisitRow.columns) FROM visits WHERE own_seq > ? ORDER BY own_seq",
                                   [.integer(pushed)], row: decodeVisit)
        for stored in pending {
            let plan = Reissue(stored.state, retired: retired.id, acknowledged: acknowledged, held: held, groups: VisitField.groupNames)
            guard !plan.changes.isEmpty else { continue }
            let state = replica.write(plan.changes, to: plan.base, recordID: stored.visit.id, now: millis)
            try journal(state, by: replica)
            writes += 1
            try db.run(VisitRow.upsertSQL, try VisitRow.values(stored.visit, raw: stored.rawCitizenID, state: state, localWrite: writes, sealer: sealer))
        }
        // Records of other kinds the same way, merged by their kind's groups.
        for stored in try pendingRecords(after: pushed) {
            let kind = try knownKind(stored.kind)
            let plan = Reissue(stored, retired: retired.id, acknowledged: acknowledged, held: held, groups: kind?.groups ?? [])
            guard !plan.changes.isEmpty else { continue }
            let state = replica.write(plan.changes, to: plan.base, recordID: stored.id, kind: stored.kind, now: millis)
            try journal(state, by: replica)
            writes += 1
            try saveRecord(state, kind: kind, ownSeq: writes)
        }
        try saveReplica(replica, writes: writes)
    }

    /// The records of other kinds with a local write after `pushed`, in the order of their writes.
    func pendingRecords(after pushed: Int64) throws -> [RecordState] {
        try db.query("SELECT kind, state, id FROM kind_records WHERE own_seq > ? ORDER BY own_seq", [.integer(pushed)], row: openRecord)
    }

    /// The current replica id's writes that the hub has not acknowledged: what a store the hub found restored
    /// from an older copy asks it about before it re-identifies (Protocol/README.md §1.1). They come from the
    /// journal (even writes whose registers a later write here replaced) and, for writes made before the
    /// journal existed, from the registers of the visits still to push.
    public func restoredWrites() throws -> HeldWritesRequest {
        try read {
            let replica = try loadReplica()
            let pushed = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            let acknowledged = max(0, pushed - (try localWrites() - Int64(replica.seq)))
            var writes: [UInt64: WriteRef] = [:]
            let visits = try db.query("SELECT \(VisitRow.columns) FROM visits WHERE own_seq > ?", [.integer(pushed)], row: decodeVisit)
            for state in visits.map(\.state) + (try pendingRecords(after: pushed)) {
                for field in state.fields where field.register.stamp.replica == replica.id && field.register.seq > 0 {
                    writes[field.register.seq] = WriteRef(record: state.id, seq: field.register.seq, stamp: field.register.stamp)
                }
            }
            let journaled = try db.query("SELECT seq, record, millis, counter FROM journal WHERE replica = ? AND seq > ?",
                                         [.text(replica.id.description), .integer(acknowledged)]) { row in
                WriteRef(record: row.text(1) ?? "", seq: UInt64(clamping: row.int64(0)),
                                        stamp: Stamp(millis: UInt64(clamping: row.int64(2)), counter: UInt32(clamping: row.int64(3)), replica: replica.id))
            }
            for write in journaled { writes[write.seq] = write }
            return HeldWritesRequest(replica: replica.id, writes: writes.values.sorted { $0.seq < $1.seq })
        }
    }

    /// The current replica id's seq: below the hub's high-water for it (a push answer's `highWater`), the
    /// store was restored from an older copy (Protocol/README.md §1).
    public func replicaSeq() throws -> UInt64 {
        try read { try loadReplica().seq }
    }

    /// Takes a fresh replica id (Protocol/README.md §1): after a restore from an older copy, or a clock
    /// that ran ahead. Unpushed writes stay pending. With `clockRanAhead`, the clock restarts from the
    /// real time and every field stamped in the future is written again with a real-time stamp; otherwise
    /// every write the hub has not acknowledged is written again under the new id.
    /// - Parameter held: after a restore, the writes of the current id the hub holds as this store has them
    ///   (`restoredWrites()`, asked of the hub, §1.1): those are not written again. Nil when the hub did not say.
    /// - Returns: the new replica id.
    @discardableResult
    public func reidentify(reason: String, clockRanAhead: Bool = false, held: Set<UInt64>? = nil, now: Date = Date()) throws -> ReplicaID {
        try write {
            let old = try loadReplica()
            let fresh = ReplicaID.random()
            try db.run("INSERT OR REPLACE INTO retired_replicas (replica_id, retired_at, reason) VALUES (?, ?, ?)",
                       [.text(old.id.description), .text(ISODate.format(now)), .text(reason)])
            try db.run("UPDATE replica SET replica_id = ? WHERE singleton = 1", [.text(fresh.description)])
            try reloadProfile()
            let millis = epochMillis(now), slack: UInt64 = 60_000
            guard clockRanAhead else {
                try reissue(retired: old, as: ReplicaState(id: fresh, clockMillis: old.clock.millis, clockCounter: old.clock.counter),
                            held: held, now: millis)
                return fresh
            }
            var replica = ReplicaState(id: fresh)
            let visits = try db.query("SELECT \(VisitRow.columns) FROM visits", row: decodeVisit)
            let records = try pendingRecords(after: -1)
            for state in visits.map(\.state) + records {
                for stamp in state.stamps where stamp.millis <= millis + slack {
                    replica.observe(RecordState(id: "", registers: ["x": Register(value: .null, stamp: stamp)], version: VersionVector()), now: millis)
                }
            }
            var writes = try localWrites()
            for stored in visits {
                let future = stored.state.fields.filter { $0.register.stamp.millis > millis + slack }
                guard !future.isEmpty else { continue }
                var changes: [String: FieldValue] = [:]
                for field in future { changes[field.name] = field.register.value }
                let state = replica.write(changes, to: stored.state, recordID: stored.visit.id, now: millis)
                try journal(state, by: replica)
                writes += 1
                try db.run(VisitRow.upsertSQL, try VisitRow.values(stored.visit, raw: stored.rawCitizenID, state: state, localWrite: writes, sealer: sealer))
            }
            for stored in records {
                let future = stored.fields.filter { $0.register.stamp.millis > millis + slack }
                guard !future.isEmpty else { continue }
                let state = replica.write(Dictionary(uniqueKeysWithValues: future.map { ($0.name, $0.register.value) }), to: stored,
                                          recordID: stored.id, kind: stored.kind, now: millis)
                try journal(state, by: replica)
                writes += 1
                try saveRecord(state, kind: try knownKind(stored.kind), ownSeq: writes)
            }
            try saveReplica(replica, writes: writes)
            return fresh
        }
    }
}
