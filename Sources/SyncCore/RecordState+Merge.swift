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
                joined.append(b[j].register.stamp > a[i].register.stamp ? b[j] : a[i]); i += 1; j += 1
            }
        }
        result.replaceFields(joined)
        return result
    }
}

/// How an incoming state relates to the stored one, judged by their version vectors.
public enum Classification: String, Sendable, Codable {
    /// The incoming state saw nothing the stored one has not (equal or older vector).
    case alreadyKnown = "already-known"
    /// The incoming state saw everything the stored one did and more.
    case fastForward = "fast-forward"
    /// Each saw a write the other did not: concurrent states, merged field by field.
    case conflict
}

/// The result of receiving a state: the merged state, how it was classified, and the conflict if any.
public struct MergeOutcome: Sendable, Equatable {
    /// The state to keep (the join of both).
    public let merged: RecordState
    /// Already known, fast-forward or conflict.
    public let classification: Classification
    /// For a conflict: each differing field with both registers and the winner.
    public let conflict: Conflict?
}

/// Receiving states: merge plus classification (for reports; the merged state does not depend on it).
public enum Merge {
    /// Receives `incoming` against `stored` (nil when the record is new here).
    /// - Parameter detectedBy: the replica doing the merge, recorded in a conflict entry.
    public static func receive(_ incoming: RecordState, into stored: RecordState?, detectedBy: ReplicaID) -> MergeOutcome {
        guard let stored else { return MergeOutcome(merged: incoming, classification: .fastForward, conflict: nil) }
        let merged = stored.merged(with: incoming)
        switch incoming.version.compare(stored.version) {
        case .equal, .older:
            return MergeOutcome(merged: merged, classification: .alreadyKnown, conflict: nil)
        case .newer:
            return MergeOutcome(merged: merged, classification: .fastForward, conflict: nil)
        case .concurrent:
            let conflict = Conflict(stored: stored, incoming: incoming, detectedBy: detectedBy)
            return MergeOutcome(merged: merged, classification: .conflict, conflict: conflict)
        }
    }
}
