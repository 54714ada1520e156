#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import RecordKinds
import SQLiteKit
import SyncCore

/// What an edit or delete did.
public struct WriteResult: Sendable {
    /// The visit after the write.
    public let visit: StoredVisit
    /// The fields that changed (empty: nothing was written).
    public let changed: [VisitField]
    /// The published fields that changed, by name.
    public var changedExtras: [String] = []
}

extension FieldStore {
    /// Logs a new visit: one local write that stamps every field.
    /// - Returns: the stored visit, with its new id.
    /// - Throws: `InputError` for a draft that breaks a rule (nothing is written), `StoreError` for the disk.
    @discardableResult
    public func log(_ draft: VisitDraft, now: Date = Date()) throws -> StoredVisit {
        try log([draft], now: now)[0]
    }

    /// Logs several new visits in one transaction: all are written or none.
    public func log(_ drafts: [VisitDraft], now: Date = Date()) throws -> [StoredVisit] {
        let kind = try visitKind()
        let visits = try drafts.map { try makeVisit($0, kind: kind, now: now) }
        let millis = epochMillis(now)
        return try write {
            var replica = try loadReplica()
            var writes = try localWrites()
            let upsert = try db.cached(VisitRow.upsertSQL)
            var stored: [StoredVisit] = []
            stored.reserveCapacity(visits.count)
            for (visit, raw) in visits {
                let state = replica.write(Self.keyed(visit.fieldValues).merging(visit.extra) { own, _ in own }, to: nil, recordID: visit.id,
                                          now: millis)
                try journal(state, by: replica)
                writes += 1
                try upsert.execute(try VisitRow.values(visit, raw: raw, state: state, localWrite: writes, sealer: sealer))
                stored.append(StoredVisit(visit: visit, rawCitizenID: raw, state: state))
            }
            try saveReplica(replica, writes: writes)
            return stored
        }
    }

    /// Edits a visit: only the fields whose value changes are stamped.
    /// - Parameter id: the visit's id or an unambiguous prefix of it (8 characters or more).
    /// - Throws: `StoreError.visitNotFound`, `.visitDeleted`, `.nothingToChange`; `InputError` for a bad result.
    public func edit(_ id: String, _ changes: VisitChanges, now: Date = Date()) throws -> WriteResult {
        guard !changes.isEmpty else { throw StoreError.nothingToChange }
        return try write {
            let current = try visit(id)
            guard !current.visit.deleted else { throw StoreError.visitDeleted(id: current.visit.id) }
            guard !current.visit.erased || (changes.citizenName == nil && changes.citizenID == nil && changes.phone == nil
                                            && changes.note == nil)
            else { throw StoreError.visitErased(id: current.visit.id) }
            var next = current.visit
            var raw = current.rawCitizenID
            if let service = changes.service { next.service = service }
            if let outcome = changes.outcome { next.outcome = outcome }
            if let commune = changes.commune { next.commune = try catalogue.resolve(commune).code }
            if let name = changes.citizenName {
                next.citizenName = try VietnameseText.clean(name, field: "citizen name", limit: Visit.nameLimit)
            }
            if let citizenID = changes.citizenID {
                raw = citizenID?.digits
                next.citizenID = try citizenID.map { try protect($0) }
            }
            if let phone = changes.phone { next.phone = phone?.digits }
            if let reason = changes.reason { next.reason = reason }
            if let note = changes.note {
                next.note = try VietnameseText.clean(note, field: "note", limit: Visit.noteLimit, allowEmpty: true,
                                                     allowNewlines: true)
            }
            if let visitedAt = changes.visitedAt { next.visitedAt = visitedAt }
            for (name, value) in changes.extra { next.extra[name] = value == .null && current.visit.extra[name] == nil ? nil : value }
            if next.consent == nil, next.citizenID != nil || next.phone != nil {
                next.consent = Consent(at: now, by: profile.volunteer, policy: profile.consentPolicy)
            }
            try Self.validate(next, over: current.visit, now: now, kind: try visitKind())

            let before = current.visit.fieldValues, after = next.fieldValues
            var changed = VisitField.allCases.filter { before[$0] != after[$0] }
            if raw != current.rawCitizenID, !changed.contains(.cccd) { changed.append(.cccd) }
            let extras = next.extra.keys.filter { next.extra[$0] != current.visit.extra[$0] }.sorted()
            return try commit(next, raw: raw, over: current, changed: changed, extras: extras, now: now)
        }
    }

    /// Withdraws the citizen's consent: their data on this visit is erased here now, and everywhere as
    /// the write syncs (the visit itself stays, so progress does not change).
    /// - Returns: the result; `changed` is empty when it was already erased.
    public func withdrawConsent(_ id: String, now: Date = Date()) throws -> WriteResult {
        try write {
            let current = try visit(id)
            // Only the laptop that logged a visit erases it (the hub refuses anyone else's erasure, §4.3).
            let author = current.state.fields.min { $0.register.stamp < $1.register.stamp }?.register.stamp.replica
            if !current.visit.erased, let author, !(try ownReplicas().contains(author)) {
                throw StoreError.notYourVisit(id: current.visit.id, volunteer: current.visit.volunteer)
            }
            let result = try commit(current.visit.erasing(), raw: nil, over: current, changed: current.visit.erased ? [] : [.erased], now: now)
            try purge(record: current.visit.id)
            return result
        }
    }

    /// Deletes a visit: a write of its `deleted` register, so the deletion syncs like any edit.
    /// - Returns: the result; `changed` is empty when it was already deleted.
    public func delete(_ id: String, now: Date = Date()) throws -> WriteResult {
        try write {
            let current = try visit(id)
            var next = current.visit
            next.deleted = true
            return try commit(next, raw: current.rawCitizenID, over: current,
                              changed: current.visit.deleted ? [] : [.deleted], now: now)
        }
    }

    /// Writes the changed fields of `next` as one local write (inside a transaction).
    private func commit(_ next: Visit, raw: String?, over current: StoredVisit, changed: [VisitField], extras: [String] = [],
                        now: Date) throws -> WriteResult {
        guard !changed.isEmpty || !extras.isEmpty else { return WriteResult(visit: current, changed: []) }
        var replica = try loadReplica()
        let values = next.fieldValues
        var changes: [String: FieldValue] = [:]
        for field in changed.flatMap(\.group) { changes[field.rawValue] = values[field] ?? .null }
        for name in extras { changes[name] = next.extra[name] ?? .null }
        let state = replica.write(changes, to: current.state, recordID: next.id, now: epochMillis(now))
        try journal(state, by: replica)
        let writes = try localWrites() + 1
        try db.run(VisitRow.upsertSQL, try VisitRow.values(next, raw: raw, state: state, localWrite: writes, sealer: sealer))
        try saveReplica(replica, writes: writes)
        // A flag ends when the volunteer deletes the visit or moves it into this laptop's commune.
        if next.deleted {
            try db.run("DELETE FROM rejections WHERE record = ?", [.text(next.id)])
        } else if next.commune == (try scopeCommune()) {
            try db.run("DELETE FROM rejections WHERE record = ? AND code = 'out_of_scope'", [.text(next.id)])
        }
        return WriteResult(visit: StoredVisit(visit: next, rawCitizenID: raw, state: state), changed: changed, changedExtras: extras)
    }

    /// Validates an edited visit, refusing only a violation the edit brings: a state that was already
    /// invalid (two merged legacy writes) never blocks an unrelated edit.
    static func validate(_ next: Visit, over current: Visit, now: Date, kind: RecordKind?) throws {
        let found: InputError
        do {
            try whole(next, now: now, kind: kind)
            return
        } catch {
            found = error
        }
        do {
            try whole(current, now: now, kind: kind)
        } catch {
            if error == found { return }
        }
        throw found
    }

    /// A visit's own rules, and with a published version of the visit kind that version's whole document too: its
    /// required fields and its rules, published ones included, hold for what this laptop writes. (The hub checks each
    /// published field by its type only: a laptop that has not received a version cannot follow its new rules.)
    static func whole(_ visit: Visit, now: Date, kind: RecordKind?) throws(InputError) {
        try visit.validate(now: now, kind: kind)
        guard let kind else { return }
        try kind.validate(keyed(visit.fieldValues).merging(visit.extra) { own, _ in own })
    }

    /// Turns a draft into a complete, validated visit and its raw citizen ID.
    private func makeVisit(_ draft: VisitDraft, kind: RecordKind?, now: Date) throws -> (Visit, String?) {
        // The laptop's own commune was checked when it was set: the catalogue is read only for another one.
        let commune = try draft.commune.map { text throws in try catalogue.resolve(text).code } ?? scopeCommune()
        let name = try VietnameseText.clean(draft.citizenName, field: "citizen name", limit: Visit.nameLimit)
        let note = try VietnameseText.clean(draft.note, field: "note", limit: Visit.noteLimit, allowEmpty: true,
                                            allowNewlines: true)
        let visitedAt = draft.visitedAt ?? now
        var visit = Visit(
            id: VisitID.make(now: now), service: draft.service, outcome: draft.outcome, commune: commune,
            citizenName: name, citizenID: try draft.citizenID.map { try protect($0) }, phone: draft.phone?.digits,
            reason: draft.reason, note: note, visitedAt: visitedAt, volunteer: profile.volunteer, team: profile.team,
            consent: draft.consent ? Consent(at: visitedAt, by: profile.volunteer, policy: profile.consentPolicy) : nil)
        visit.extra = draft.extra.filter { $0.value != .null }
        // A reason that calls for coming back gives its date unless the volunteer gave one (or none: an empty value).
        if draft.extra["followUpOn"] == nil,
           let on = FollowUps.defaultDate(reason: draft.reason, visitedAt: visitedAt, kind: kind) {
            visit.extra["followUpOn"] = .text(on)
        }
        // A required published field not given takes the kind's default, when it has one.
        for field in kind?.fields ?? [] where field.required == true && field.system != true && VisitField(rawValue: field.name) == nil
            && visit.extra[field.name] == nil {
            switch field.default {
            case .bool(let value)?: visit.extra[field.name] = .bool(value)
            case .integer(let value)?: visit.extra[field.name] = .int(Int64(value))
            case .text(let value)?: visit.extra[field.name] = .text(value)
            case nil: throw InputError.emptyText(field: field.name)
            }
        }
        try Self.whole(visit, now: now, kind: kind)
        return (visit, draft.citizenID?.digits)
    }

    /// The form of a citizen ID that may leave the laptop (with its keyed hash once enrolled).
    func protect(_ id: CitizenID) throws -> ProtectedCitizenID {
        // The pseudonym comes from the hub at the next sync (FieldStore+Pseudonyms.swift).
        ProtectedCitizenID(masked: id.masked, keyedHash: nil)
    }

    static func keyed(_ values: [VisitField: FieldValue]) -> [String: FieldValue] {
        Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value) })
    }

    /// Notes the write `replica` just made to `state` in the journal (inside the caller's transaction).
    func journal(_ state: RecordState, by replica: ReplicaState) throws {
        guard let register = state.fields.first(where: { $0.register.seq == replica.seq && $0.register.stamp.replica == replica.id })?.register
        else { return }
        try db.cached("INSERT OR REPLACE INTO journal (replica, seq, record, millis, counter) VALUES (?, ?, ?, ?, ?)").execute([
            .text(replica.id.description), .integer(Int64(clamping: replica.seq)), .text(state.id),
            .integer(Int64(clamping: register.stamp.millis)), .integer(Int64(register.stamp.counter)),
        ])
    }
}
