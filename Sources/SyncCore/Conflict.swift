import Crypto

/// Two writes to one record that neither writer had seen, as a merge found them: the fields both wrote
/// with different values (or an edit that met a deletion), both registers of each and the winner. The
/// losing values are kept here for good.
public struct Conflict: Hashable, Sendable {
    /// One field the two sides wrote concurrently.
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

        /// The register the merge kept, and the one it did not.
        public var kept: Register? { winner == .stored ? stored : incoming }
        public var lost: Register? { winner == .stored ? incoming : stored }
    }

    /// Which of the two states.
    public enum Side: String, Hashable, Sendable, Codable {
        case stored, incoming
    }

    /// What kind of disagreement.
    public enum Kind: String, Hashable, Sendable, Codable {
        /// Both sides wrote the same field (or bound group) with different values.
        case conflict
        /// One side deleted the record while the other edited it: the record stays deleted, the edit is kept here.
        case editVsDelete = "edit-vs-delete"
    }

    /// Deterministic: the same pair of writes gives the same id on every replica that finds it.
    public let id: String
    /// Conflict or edit-vs-delete.
    public let kind: Kind
    /// The record's id.
    public let record: String
    /// The fields written concurrently, by name.
    public let fields: [FieldDifference]
    /// The stored state's version vector.
    public let storedVersion: VersionVector
    /// The incoming state's version vector.
    public let incomingVersion: VersionVector
    /// The replica whose merge found it.
    public let detectedBy: ReplicaID

    /// Makes an entry; its id is computed from the record, the kind and the fields' writes.
    public init(kind: Kind = .conflict, record: String, fields: [FieldDifference], storedVersion: VersionVector,
                incomingVersion: VersionVector, detectedBy: ReplicaID) {
        self.init(id: Self.id(kind: kind, record: record, fields: fields), kind: kind, record: record, fields: fields,
                  storedVersion: storedVersion, incomingVersion: incomingVersion, detectedBy: detectedBy)
    }

    /// Makes an entry with a given id (one read back from a store, which may carry a protocol-1 id).
    public init(id: String, kind: Kind, record: String, fields: [FieldDifference], storedVersion: VersionVector,
                incomingVersion: VersionVector, detectedBy: ReplicaID) {
        self.id = id
        self.kind = kind
        self.record = record
        self.fields = fields.sorted { $0.field < $1.field }
        self.storedVersion = storedVersion
        self.incomingVersion = incomingVersion
        self.detectedBy = detectedBy
    }

    /// Whether `claimed` is this entry's id: the protocol-2 id of its writes, or the protocol-1 id of its vectors.
    public func accepts(id claimed: String) -> Bool {
        claimed == id || claimed == Self.legacyID(record: record, storedVersion, incomingVersion)
    }

    /// SHA-256, first 16 bytes as hex, of `record \n kind \n` and, per field in name order,
    /// `field = stamp, stamp \n` (the two registers' stamps in text order, `-` for a missing one).
    public static func id(kind: Kind, record: String, fields: [FieldDifference]) -> String {
        var text = "\(record)\n\(kind.rawValue)\n"
        for difference in fields.sorted(by: { $0.field < $1.field }) {
            let pair = [difference.stored, difference.incoming].map { $0?.stamp.description ?? "-" }.sorted()
            text += "\(difference.field)=\(pair[0]),\(pair[1])\n"
        }
        return Hex.encode(SHA256.hash(data: Array(text.utf8)).prefix(16))
    }

    /// The protocol-1 id: SHA-256 of the record id and the two vectors' canonical texts in sorted order.
    public static func legacyID(record: String, _ a: VersionVector, _ b: VersionVector) -> String {
        let pair = [a.canonicalText, b.canonicalText].sorted()
        let digest = SHA256.hash(data: Array("\(record)\n\(pair[0])\n\(pair[1])".utf8))
        return Hex.encode(digest.prefix(16))
    }

    /// For an edit-vs-delete entry, the register the editing side holds for a field (nil for other kinds).
    public func edit(_ field: FieldDifference) -> Register? {
        guard kind == .editVsDelete else { return nil }
        let deletedStored = fields.first { $0.field == RecordState.deletedField }?.stored?.value.bool == true
        return deletedStored ? field.incoming : field.stored
    }

    /// The fields where a write of one of `replicas` lost (or, for an edit-vs-delete, where their edit
    /// met the deletion): what a volunteer is told about, and nothing else.
    public func losses(of replicas: Set<ReplicaID>) -> [FieldDifference] {
        func mine(_ register: Register?) -> Bool { register.map { replicas.contains($0.stamp.replica) } ?? false }
        switch kind {
        case .conflict:
            return fields.filter { mine($0.lost) }
        case .editVsDelete:
            return fields.filter { $0.field != RecordState.deletedField && mine(edit($0)) }
        }
    }
}

extension VersionVector {
    /// `replica:seq` pairs in replica order, comma separated: the form hashed into protocol-1 conflict ids.
    public var canonicalText: String {
        entries.map { "\($0.replica):\($0.seq)" }.joined(separator: ",")
    }
}
