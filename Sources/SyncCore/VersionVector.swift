/// For each replica that wrote a record, the change counter (`seq`) of its latest write.
///
/// Entries are kept sorted by replica and never hold a zero seq, so equal vectors are equal values.
public struct VersionVector: Hashable, Sendable, CustomStringConvertible {
    /// One replica's latest seq.
    public struct Entry: Hashable, Sendable {
        /// The writer.
        public let replica: ReplicaID
        /// Its latest write's seq (≥ 1).
        public let seq: UInt64
    }

    /// How one vector relates to another.
    public enum Order: String, Sendable {
        /// Both saw exactly the same writes.
        case equal
        /// This one saw a strict subset of the other's writes.
        case older
        /// This one saw a strict superset of the other's writes.
        case newer
        /// Each saw a write the other did not: the states are concurrent.
        case concurrent
    }

    /// The entries, sorted by replica.
    public private(set) var entries: [Entry]

    /// An empty vector: nothing written.
    public init() { entries = [] }

    /// A vector from replica → seq pairs (zero seqs are dropped).
    public init<S: Sequence>(_ pairs: S) where S.Element == (ReplicaID, UInt64) {
        var merged: [ReplicaID: UInt64] = [:]
        for (replica, seq) in pairs where seq > 0 { merged[replica] = max(merged[replica] ?? 0, seq) }
        entries = merged.map { Entry(replica: $0.key, seq: $0.value) }.sorted { $0.replica < $1.replica }
    }

    /// The seq recorded for `replica` (0 when it never wrote).
    public subscript(replica: ReplicaID) -> UInt64 {
        get {
            for entry in entries where entry.replica == replica { return entry.seq }
            return 0
        }
        set {
            if let index = entries.firstIndex(where: { $0.replica >= replica }) {
                if entries[index].replica == replica {
                    if newValue == 0 { entries.remove(at: index) } else { entries[index] = Entry(replica: replica, seq: newValue) }
                } else if newValue > 0 {
                    entries.insert(Entry(replica: replica, seq: newValue), at: index)
                }
            } else if newValue > 0 {
                entries.append(Entry(replica: replica, seq: newValue))
            }
        }
    }

    /// Whether no replica has written.
    public var isEmpty: Bool { entries.isEmpty }

    /// Compares the writes this vector has seen with another's.
    public func compare(_ other: VersionVector) -> Order {
        var mine = false, theirs = false  // saw something the other did not
        var i = 0, j = 0
        let a = entries, b = other.entries
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].replica < b[j].replica) {
                mine = true; i += 1
            } else if i == a.count || b[j].replica < a[i].replica {
                theirs = true; j += 1
            } else {
                if a[i].seq > b[j].seq { mine = true } else if a[i].seq < b[j].seq { theirs = true }
                i += 1; j += 1
            }
            if mine && theirs { return .concurrent }
        }
        return mine ? .newer : theirs ? .older : .equal
    }

    /// The pointwise maximum: every write either vector saw.
    public func merged(with other: VersionVector) -> VersionVector {
        var result = VersionVector()
        result.entries.reserveCapacity(max(entries.count, other.entries.count))
        var i = 0, j = 0
        let a = entries, b = other.entries
        while i < a.count || j < b.count {
            if j == b.count || (i < a.count && a[i].replica < b[j].replica) {
                result.entries.append(a[i]); i += 1
            } else if i == a.count || b[j].replica < a[i].replica {
                result.entries.append(b[j]); j += 1
            } else {
                result.entries.append(a[i].seq >= b[j].seq ? a[i] : b[j]); i += 1; j += 1
            }
        }
        return result
    }

    /// `{replica: seq, …}` in replica order.
    public var description: String {
        "{" + entries.map { "\($0.replica): \($0.seq)" }.joined(separator: ", ") + "}"
    }
}

extension VersionVector: ExpressibleByDictionaryLiteral {
    /// A vector written as `[replica: seq, …]`.
    public init(dictionaryLiteral elements: (ReplicaID, UInt64)...) {
        self.init(elements)
    }
}
