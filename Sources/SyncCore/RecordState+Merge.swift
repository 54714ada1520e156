extension RecordState {
    /// The join of two states of the same record: every field takes the register with the greater
    /// stamp, the version vector is the pointwise maximum. Commutative, associative, idempotent.
    public func merged(with other: RecordState) -> RecordState {
        var result = self
        result.version = version.merged(with: other.version)
        var joined: [Field] = []
        joined.reserveCapacity(max(fields.count, other.fields.count))
        var i = 0, j = 0
        let a = fields, b = other.fields
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].name < b[j].name) {
                joined.append(a[i]); i += 1
            } else if i == a.count || b[j].name < a[i].name {
                joined.append(b[j]); j += 1
            } else {
                joined.append(b[j].register.isAfter(a[i].register) ? b[j] : a[i]); i += 1; j += 1
            }
        }
        result.replaceFields(joined)
        return result
    }
}

/// How an incoming state relates to the stored one (Protocol/README.md §5).
public enum Classification: String, Sendable, Codable, CaseIterable {
    /// The incoming state saw nothing the stored one has not (equal or older vector).
    case alreadyKnown = "already-known"
    /// The incoming state saw everything the stored one did and more.
    case fastForward = "fast-forward"
    /// Concurrent states whose writes touched different fields: combined, nothing to look at.
    case merged
    /// At least one field (or bound group) written concurrently on both sides, with different values.
    case conflict
    /// One side deleted the record while the other edited it.
    case editVsDelete = "edit-vs-delete"
}

/// The result of receiving a state: the merged state, how it was classified, and the entry if any.
public struct MergeOutcome: Sendable, Equatable {
    /// The state to keep (the join of both).
    public let merged: RecordState
    /// How the incoming state related to the stored one.
    public let classification: Classification
    /// For a conflict or an edit-vs-delete: the fields written concurrently, both registers, the winner.
    public let conflict: Conflict?
}

/// Receiving states: merge plus classification (for reports; the merged state does not depend on it).
public enum Merge {
    /// Receives `incoming` against `stored` (nil when the record is new here).
    ///
    /// A field is in conflict only when the two writes that set its two registers were concurrent:
    /// neither side's vector covers the other's register (a register of unknown seq counts as not
    /// covered, as protocol 1 did). Fields of one `group` are one unit: when any member conflicts,
    /// every member whose registers differ is listed.
    /// - Parameter detectedBy: the replica doing the merge, recorded in a conflict entry.
    public static func receive(_ incoming: RecordState, into stored: RecordState?, detectedBy: ReplicaID,
                               groups: [[String]] = []) -> MergeOutcome {
        guard let stored else { return MergeOutcome(merged: incoming, classification: .fastForward, conflict: nil) }
        let merged = stored.merged(with: incoming)
        switch incoming.version.compare(stored.version) {
        case .equal, .older:
            return MergeOutcome(merged: merged, classification: .alreadyKnown, conflict: nil)
        case .newer:
            return MergeOutcome(merged: merged, classification: .fastForward, conflict: nil)
        case .concurrent:
            if let entry = editVsDelete(stored, incoming, detectedBy: detectedBy) {
                return MergeOutcome(merged: merged, classification: .editVsDelete, conflict: entry)
            }
            let fields = concurrentFields(stored, incoming, groups: groups)
            guard !fields.isEmpty else { return MergeOutcome(merged: merged, classification: .merged, conflict: nil) }
            let entry = Conflict(record: stored.id, fields: fields.map { difference($0, stored, incoming) },
                                 storedVersion: stored.version, incomingVersion: incoming.version, detectedBy: detectedBy)
            return MergeOutcome(merged: merged, classification: .conflict, conflict: entry)
        }
    }

    /// Whether two registers come from writes neither side had seen.
    static func concurrent(_ s: Register, _ i: Register, _ stored: RecordState, _ incoming: RecordState) -> Bool {
        !incoming.version.covers(s) && !stored.version.covers(i)
    }

    /// The fields both sides wrote concurrently with different values, widened to whole groups.
    static func concurrentFields(_ stored: RecordState, _ incoming: RecordState, groups: [[String]]) -> [String] {
        var names: Set<String> = []
        for field in stored.fields {
            guard let i = incoming[field.name] else { continue }
            let s = field.register
            if s != i, s.value != i.value, concurrent(s, i, stored, incoming) { names.insert(field.name) }
        }
        for group in groups where group.contains(where: names.contains) {
            for name in group where stored[name] != incoming[name] { names.insert(name) }
        }
        return names.sorted()
    }

    /// An edit-vs-delete entry when exactly one side holds the deletion, the other had not seen it, and
    /// the other side made edits (with new values) the deleting side had not seen.
    static func editVsDelete(_ stored: RecordState, _ incoming: RecordState, detectedBy: ReplicaID) -> Conflict? {
        let storedDeleted = stored.isDeleted
        guard storedDeleted != incoming.isDeleted else { return nil }
        let (deleter, editor) = storedDeleted ? (stored, incoming) : (incoming, stored)
        guard let deletion = deleter[RecordState.deletedField], !editor.version.covers(deletion) else { return nil }
        let edits = editor.fields.filter { field in
            field.name != RecordState.deletedField && deleter[field.name] != field.register
                && deleter[field.name]?.value != field.register.value && !deleter.version.covers(field.register)
        }
        guard !edits.isEmpty else { return nil }
        let names = [RecordState.deletedField] + edits.map(\.name)
        return Conflict(kind: .editVsDelete, record: stored.id, fields: names.map { difference($0, stored, incoming) },
                        storedVersion: stored.version, incomingVersion: incoming.version, detectedBy: detectedBy)
    }

    static func difference(_ name: String, _ stored: RecordState, _ incoming: RecordState) -> Conflict.FieldDifference {
        let s = stored[name], i = incoming[name]
        let incomingWins = i.map { i in s.map { i.isAfter($0) } ?? true } ?? false
        return Conflict.FieldDifference(field: name, stored: s, incoming: i, winner: incomingWins ? .incoming : .stored)
    }

    /// Why an incoming state shows that `replica` reused a write identity (a store restored from an
    /// older copy, or copied, that wrote again): a register with one of its dots that holds another
    /// write than the stored register of that dot, or a vector that claims one of its writes the state
    /// does not hold. Nil when nothing shows it. Registers of unknown seq prove nothing.
    public static func reusedIdentity(_ incoming: RecordState, stored: RecordState?, replica: ReplicaID) -> String? {
        guard let stored else { return nil }
        for field in stored.fields {
            let s = field.register
            guard s.seq > 0, let i = incoming[field.name], i != s else { continue }
            if i.stamp.replica == replica, i.seq == s.seq, s.stamp.replica == replica {
                return "its write \(s.seq) of \(field.name) holds another value than the hub's write \(s.seq)"
            }
            if s.stamp.replica == replica, incoming.version.covers(s), s.isAfter(i) {
                return "it claims to have seen its own write \(s.seq) of \(field.name) but holds an older value"
            }
        }
        return nil
    }
}
