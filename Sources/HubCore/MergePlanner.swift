import FieldModel
import RecordKinds
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

/// What one push does to the hub, decided from the push and the states the hub holds, with no
/// storage: the visits to write (in order), the records to quarantine, the conflict entries to keep,
/// the answer's counts and the hub's clock after observing the push. A storage applies it in one
/// transaction (Protocol/README.md §6).
package struct MergePlan {
    /// A visit to write: its new state, and the visit it replaces (for the report aggregates).
    package struct Write {
        package let visit: Visit
        package let state: RecordState
        package let previous: Visit?
        /// The state is the pushed one exactly (a new visit, a fast-forward): the device holds it.
        package let asSent: Bool
    }

    /// The answer, without the rejections (the storage adds them as it quarantines) and the hub seq.
    /// A record of another kind to write (§12): its new state and its kind's latest version.
    package struct KindWrite {
        package let state: RecordState
        package let kind: RecordKind
        package let asSent: Bool
    }

    package var response: PushResponse
    package var writes: [Write] = []
    package var kindWrites: [KindWrite] = []
    /// Records refused by validation, with why, in push order.
    package var quarantines: [(record: RecordState, reason: String)] = []
    /// Entries the merge found, and entries the device sent that passed the checks.
    package var found: [Conflict] = []
    package var accepted: [Conflict] = []
    package var rejectedConflicts: [Rejection] = []
    /// The writes (dots) the written states hold that their stored states did not: the hub remembers
    /// each write's record and stamp, so a restored store that reuses one on any visit is caught (§1).
    package var newWrites: [WriteRecord] = []
    /// An audit line per visit this push erased.
    package var erasures: [AuditDraft] = []
    /// The hub's replica state after observing every stamp of the push.
    package var hubClock: ReplicaState
}

/// Plans pushes (pure: the same inputs give the same plan).
package struct MergePlanner {
    package let hubReplica: ReplicaID
    package let maxDriftMillis: UInt64
    package let catalogue: CommuneCatalogue

    package init(hubReplica: ReplicaID, maxDriftMillis: UInt64, catalogue: CommuneCatalogue) {
        self.hubReplica = hubReplica
        self.maxDriftMillis = maxDriftMillis
        self.catalogue = catalogue
    }

    /// The checks that need no data.
    package func check(_ request: PushRequest, from device: Device) throws {
        guard device.role == .volunteer else {
            throw HubError.outOfScope("coordinator tokens read reports; only volunteers' devices push visits")
        }
        guard request.records.count <= WireLimits.maxPushRecords else {
            throw HubError.invalidRequest("a push carries at most \(WireLimits.maxPushRecords) records, this one \(request.records.count)")
        }
        guard !request.batch.isEmpty, request.batch.utf8.count <= 64 else {
            throw HubError.invalidRequest("a batch id is 1–64 characters")
        }
        guard request.replica.rawValue != 0, request.replica != hubReplica else {
            throw HubError.invalidRequest("replica id \(request.replica) is reserved (zero, or the hub's own): take a random one")
        }
    }

    /// The plan for `request` from `device`, given the stored states of every record it names
    /// (its records and its conflict entries'), what the hub knows of the pushing replica, and the
    /// hub's clock.
    /// - Throws: `HubError.replicaRestored`, `.outOfScope` or `.clockAhead` for a push refused whole.
    /// - Parameters:
    ///   - held: the writes of the pushing replica that the push names by seq, as the hub remembers them.
    ///   - erasureRefusals: the records whose erasure this device may not make (`ErasureRights`), with why.
    package func plan(_ request: PushRequest, from device: Device, known: (device: String, maxSeq: UInt64)?,
              stored initial: [String: (visit: Visit, state: RecordState)],
              forgotten: [String: (commune: String, state: RecordState)] = [:], held: [UInt64: WriteRecord] = [:],
              erasureRefusals: [String: String] = [:], visitKind: RecordKind? = nil,
              storedKinded: [String: RecordState] = [:], kinds: [String: RecordKind] = [:], hubClock: ReplicaState,
              now: Date) throws -> MergePlan {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        // The restored-laptop rule: a replica's seq never goes back, and a replica is one laptop's.
        if let known, known.device != device.id {
            throw HubError.replicaRestored("replica \(request.replica) already belongs to another device (a copied store): "
                                           + "take a new replica id")
        }
        // A lower seq is refused only if the push would change something: a late duplicate of an old
        // push (everything in it already known) is a harmless no-op, not a restored laptop.
        func refuseIfStale() throws {
            guard let known, request.seq < known.maxSeq else { return }
            throw HubError.replicaRestored("this laptop reports change \(request.seq) but the hub has seen \(known.maxSeq) from it: "
                                           + "the store was restored from an older copy; take a new replica id", highWater: known.maxSeq)
        }

        // Scope and clock, for every record, before anything is decided.
        for record in request.records {
            if let commune = record["commune"]?.value.text, !device.covers(commune: commune) {
                throw HubError.outOfScope("visit \(SafeText.quote(record.id)) is in commune \(SafeText.quote(commune)), "
                                          + "outside this device's \(device.scopeText): nothing was saved")
            }
            if let commune = initial[record.id]?.visit.commune ?? forgotten[record.id]?.commune, !device.covers(commune: commune) {
                throw HubError.outOfScope("visit \(record.id) belongs to commune \(commune), "
                                          + "outside this device's \(device.scopeText)")
            }
            for stamp in record.stamps {
                do {
                    try HybridClock.check(stamp, now: millis, maxDrift: maxDriftMillis)
                } catch {
                    throw HubError.clockAhead("\(error)")
                }
            }
        }

        for write in request.writes ?? [] {
            if let reuse = WriteRecord.reuse(of: write, held: held) {
                throw HubError.replicaRestored("\(reuse) — the store was restored from an older copy and wrote again; take a new replica id",
                                               highWater: known?.maxSeq)
            }
        }
        let highWater = max(known?.maxSeq ?? 0, request.seq)
        var stored = initial
        var plan = MergePlan(response: PushResponse(batch: request.batch, received: request.records.count), hubClock: hubClock)
        plan.response.highWater = highWater
        for record in request.records {
            if let problem = Self.problem(with: record) ?? erasureRefusals[record.id] {
                plan.quarantines.append((record, problem))
                continue
            }
            // A write identity of this replica that the hub holds with another record or stamp, on any visit.
            if let reuse = WriteRecord.reuse(in: record, by: request.replica, held: held) {
                throw HubError.replicaRestored("visit \(SafeText.quote(record.id)): \(reuse) — the store was restored from an older "
                                               + "copy and wrote again; take a new replica id", highWater: known?.maxSeq)
            }
            if record.kind != RecordState.visitKind || storedKinded[record.id] != nil {
                // A record of another kind (§12): merged and checked by its kind's document.
                let base = storedKinded[record.id]
                guard let kind = kinds[record.kind] else {
                    plan.quarantines.append((record, "this hub has no kind \(SafeText.quote(record.kind)): publish it first"))
                    continue
                }
                guard stored[record.id] == nil, forgotten[record.id] == nil, base.map({ $0.kind == record.kind }) ?? true else {
                    plan.quarantines.append((record, "record \(SafeText.quote(record.id)) is a \(base?.kind ?? "visit"), not a \(record.kind)"))
                    continue
                }
                // A review is written by coordinators at the hub only (issue 33).
                if let refusal = Review.refusal(record, over: base) {
                    plan.quarantines.append((record, refusal))
                    continue
                }
                let outcome = Merge.receive(record, into: base, detectedBy: hubReplica, groups: kind.groups)
                plan.hubClock.observe(record, now: millis)
                if let base, outcome.merged == base {
                    plan.response.alreadyKnown += 1
                    continue
                }
                try refuseIfStale()
                if let reuse = Merge.reusedIdentity(record, stored: base, replica: request.replica) {
                    throw HubError.replicaRestored("record \(SafeText.quote(record.id)): \(reuse) — the store was restored "
                                                   + "from an older copy; take a new replica id", highWater: known?.maxSeq)
                }
                do {
                    for state in [record, outcome.merged] { try kind.validate(Dictionary(uniqueKeysWithValues: state.fields.map { ($0.name, $0.register.value) }), catalogue: catalogue) }
                } catch {
                    plan.quarantines.append((record, error.description))
                    continue
                }
                // Only coordinators and the operator delete or erase a household of the commune's list (issue 31).
                if record.kind == "household", device.role == .volunteer, base?["source"]?.value == .text("list"),
                   [RecordState.deletedField, "erased"].contains(where: { outcome.merged[$0]?.value == .bool(true) && base?[$0]?.value != .bool(true) }) {
                    plan.quarantines.append((record, "a volunteer may not delete or erase a household of the commune's list: the commune's coordinator does"))
                    continue
                }
                plan.response.count(outcome.classification)
                if let conflict = outcome.conflict { plan.found.append(conflict) }
                plan.kindWrites.append(MergePlan.KindWrite(state: outcome.merged, kind: kind, asSent: outcome.merged == record))
                plan.newWrites += WriteRecord.new(in: outcome.merged, over: base)
                continue
            }
            let current = stored[record.id]
            // A visit compacted below the tombstone horizon merges against its reduced tombstone (§7.2).
            let base = current?.state ?? forgotten[record.id]?.state
            if let refusal = Review.refusal(record, over: base) {
                plan.quarantines.append((record, refusal))
                continue
            }
            let outcome = Merge.receive(record, into: base, detectedBy: hubReplica, groups: VisitField.groupNames)
            plan.hubClock.observe(record, now: millis)
            if current == nil, let base {
                // A compacted visit stays compacted (§7.2): its reduced tombstone claims writes whose registers
                // it no longer holds, so storing a join with it would not converge. An edit the deleting side
                // never saw is kept in an edit-vs-delete entry, as against the whole tombstone; the device drops its copy.
                if let conflict = outcome.conflict {
                    plan.found.append(base[VisitField.erased.rawValue] != nil ? conflict.erasingPersonal() : conflict)
                    plan.response.editVsDelete += 1
                } else {
                    plan.response.alreadyKnown += 1
                }
                plan.response.forgotten = (plan.response.forgotten ?? []) + [record.id]
                continue
            }
            if let base, outcome.merged == base {
                // Nothing new (a retry, or a state the hub already passed on): nothing to validate or write.
                plan.response.alreadyKnown += 1
                continue
            }
            try refuseIfStale()
            if let reuse = Merge.reusedIdentity(record, stored: base, replica: request.replica) {
                throw HubError.replicaRestored("visit \(SafeText.quote(record.id)): \(reuse) — the store was restored "
                                               + "from an older copy; take a new replica id", highWater: known?.maxSeq)
            }
            let incoming: Visit
            do {
                incoming = try Visit.validated(record, catalogue: catalogue, now: now, kind: visitKind)
            } catch {
                plan.quarantines.append((record, error.description))
                continue
            }
            plan.response.count(outcome.classification)
            if let conflict = outcome.conflict { plan.found.append(conflict) }
            guard outcome.merged != base else { continue }
            // Validated once: when the merge kept the incoming state as it came (a new visit, or an edit that
            // follows everything the hub held), the visit read from it is the merged one.
            let visit = base == nil || outcome.merged == record ? incoming : try Visit(state: outcome.merged, catalogue: catalogue)
            if visit.erased, let index = plan.found.lastIndex(where: { $0.record == record.id }) {
                // An erased citizen's values are not kept in the conflict log either.
                plan.found[index] = plan.found[index].erasingPersonal()
            }
            plan.writes.append(MergePlan.Write(visit: visit, state: outcome.merged, previous: current?.visit, asSent: outcome.merged == record))
            if visit.erased, current?.visit.erased != true {
                // The audit names the visit and its pseudonym (never the data), and who erased it.
                plan.erasures.append(AuditDraft(actor: device.id, action: .erase, scope: "commune \(visit.commune)", detail: [
                    "visit": visit.id, "pseudonym": String((current?.visit.citizenID?.keyedHash ?? visit.citizenID?.keyedHash ?? "none").prefix(24)),
                    "by": "the volunteer's laptop",
                ]))
            }
            plan.newWrites += WriteRecord.new(in: outcome.merged, over: base)
            stored[record.id] = (visit, outcome.merged)
        }
        // The writes named beside the registers are remembered with the records that were kept.
        let kept = Set(plan.writes.map(\.visit.id) + plan.kindWrites.map(\.state.id))
        plan.newWrites += (request.writes ?? []).filter { kept.contains($0.record) && held[$0.seq] == nil }.map {
            WriteRecord(replica: request.replica, seq: $0.seq, record: WriteRecord.key($0.record), stamp: $0.stamp)
        }
        if !(request.conflicts ?? []).isEmpty { try refuseIfStale() }
        for conflict in request.conflicts ?? [] {
            if let refusal = refusal(of: conflict, from: device, stored: stored, millis: millis) {
                plan.rejectedConflicts.append(refusal)
            } else {
                plan.accepted.append(stored[conflict.record]?.visit.erased == true ? conflict.erasingPersonal() : conflict)
            }
        }
        return plan
    }

    /// Structural problems SyncCore cannot see: a stamp whose writer is not in the vector, an empty vector.
    static func problem(with record: RecordState) -> String? {
        if record.version.isEmpty { return "the record has an empty version vector" }
        for field in record.fields where record.version[field.register.stamp.replica] == 0 {
            return "field \(field.name) is stamped by replica \(field.register.stamp.replica), which is not in the version vector"
        }
        return nil
    }

    /// Why a conflict entry a device pushed is not kept, or nil to keep it. An entry must concern a visit
    /// the hub holds inside the device's scope, name visit fields only, and carry values that pass the
    /// same checks as a record's: a device cannot plant made-up values in another commune's report.
    func refusal(of conflict: Conflict, from device: Device, stored: [String: (visit: Visit, state: RecordState)],
                 millis: UInt64) -> Rejection? {
        func refuse(_ code: String, _ message: String) -> Rejection { Rejection(id: conflict.id, code: code, message: message) }
        guard let current = stored[conflict.record] else {
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
}

extension PushResponse {
    /// Counts one record's classification in the answer.
    mutating func count(_ classification: Classification) {
        switch classification {
        case .alreadyKnown: alreadyKnown += 1
        case .fastForward: fastForward += 1
        case .merged: merged += 1
        case .conflict: conflicts += 1
        case .editVsDelete: editVsDelete += 1
        }
    }
}
