import Crypto

/// A conflict found while merging: two concurrent states of one record, the fields whose values
/// differed, both registers of each and the winner. The losing values are kept here for good.
public struct Conflict: Hashable, Sendable {
    /// One field that held different values in the two states.
    public struct FieldDifference: Hashable, Sendable {
        /// The field's name.
        public let field: String
        /// The stored register (nil when the stored state had none).
        public let stored: Register?
        /// The incoming register (nil when the incoming state had none).
        public let incoming: Register?
        /// Which register the merge kept.
        public let winner: Side

        /// Makes a field difference.
        public init(field: String, stored: Register?, incoming: Register?, winner: Side) {
            self.field = field
            self.stored = stored
            self.incoming = incoming
            self.winner = winner
        }
    }

    /// Which of the two states.
    public enum Side: String, Hashable, Sendable, Codable {
        case stored, incoming
    }

    /// Deterministic: the same record and the same pair of vectors give the same id on every replica.
    public let id: String
    /// The record's id.
    public let record: String
    /// The fields whose values differed, by name.
    public let fields: [FieldDifference]
    /// The stored state's version vector.
    public let storedVersion: VersionVector
    /// The incoming state's version vector.
    public let incomingVersion: VersionVector
    /// The replica whose merge found it.
    public let detectedBy: ReplicaID

    /// Describes the conflict between two concurrent states of one record.
    public init(stored: RecordState, incoming: RecordState, detectedBy: ReplicaID) {
        var differences: [FieldDifference] = []
        let names = Set(stored.fields.map(\.name)).union(incoming.fields.map(\.name)).sorted()
        for name in names {
            let s = stored[name], i = incoming[name]
            guard s?.value != i?.value else { continue }
            let incomingWins = (i?.stamp).map { stamp in s.map { stamp > $0.stamp } ?? true } ?? false
            differences.append(FieldDifference(field: name, stored: s, incoming: i, winner: incomingWins ? .incoming : .stored))
        }
        self.init(record: stored.id, fields: differences, storedVersion: stored.version,
                  incomingVersion: incoming.version, detectedBy: detectedBy)
    }

    /// Rebuilds a conflict from its parts (as decoded from the wire); the id is recomputed.
    public init(record: String, fields: [FieldDifference], storedVersion: VersionVector, incomingVersion: VersionVector,
                detectedBy: ReplicaID) {
        self.id = Self.id(record: record, storedVersion, incomingVersion)
        self.record = record
        self.fields = fields
        self.storedVersion = storedVersion
        self.incomingVersion = incomingVersion
        self.detectedBy = detectedBy
    }

    /// SHA-256 of the record id and the two vectors' canonical texts in sorted order, first 16 bytes as hex.
    public static func id(record: String, _ a: VersionVector, _ b: VersionVector) -> String {
        let pair = [a.canonicalText, b.canonicalText].sorted()
        let digest = SHA256.hash(data: Array("\(record)\n\(pair[0])\n\(pair[1])".utf8))
        return Hex.encode(digest.prefix(16))
    }
}

extension VersionVector {
    /// `replica:seq` pairs in replica order, comma separated: the form hashed into conflict ids.
    public var canonicalText: String {
        entries.map { "\($0.replica):\($0.seq)" }.joined(separator: ",")
    }
}
