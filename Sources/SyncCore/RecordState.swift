/// The full replicated state of one record: its registers (`deleted` among them) and its version vector.
public struct RecordState: Hashable, Sendable {
    /// One named register.
    public struct Field: Hashable, Sendable {
        /// The field's name.
        public let name: String
        /// Its register.
        public var register: Register

        /// Makes a named register.
        public init(name: String, register: Register) {
            self.name = name
            self.register = register
        }
    }

    /// The name of the tombstone register.
    public static let deletedField = "deleted"

    /// The kind a state with no `kind` member has (Protocol/README.md §12): every state before kinds was a visit.
    public static let visitKind = "visit"

    /// The record's id (a lowercase UUID for visits).
    public let id: String
    /// The record's kind (`visit`, `session`, …): fixed for the life of the record.
    public var kind: String = RecordState.visitKind
    /// The registers, sorted by name.
    public private(set) var fields: [Field]
    /// Every replica's latest write to this record.
    public var version: VersionVector

    /// Makes a state from registers in any order (a later duplicate name replaces an earlier one).
    public init(id: String, kind: String = RecordState.visitKind, registers: [String: Register], version: VersionVector) {
        self.id = id
        self.kind = kind
        self.fields = registers.map { Field(name: $0.key, register: $0.value) }.sorted { $0.name < $1.name }
        self.version = version
    }

    /// Makes a state from registers already sorted by name, without sorting again (hot paths).
    /// - Precondition: `sortedFields` is sorted by name, with no duplicates.
    public init(id: String, kind: String = RecordState.visitKind, sortedFields: [Field], version: VersionVector) {
        assert(zip(sortedFields, sortedFields.dropFirst()).allSatisfy { $0.name < $1.name }, "fields must be sorted")
        self.id = id
        self.kind = kind
        self.fields = sortedFields
        self.version = version
    }

    /// The register of a field, if the record has one.
    public subscript(name: String) -> Register? {
        get { fields.first { $0.name == name }?.register }
        set {
            let index = fields.firstIndex { $0.name >= name }
            switch (index, newValue) {
            case (let i?, let value?) where fields[i].name == name: fields[i].register = value
            case (let i?, nil) where fields[i].name == name: fields.remove(at: i)
            case (let i?, let value?): fields.insert(Field(name: name, register: value), at: i)
            case (nil, let value?): fields.append(Field(name: name, register: value))
            default: break
            }
        }
    }

    /// Whether a text is a kind name (`^[a-z][a-z0-9-]{0,31}$`, as `schemas/kind.schema.json` says).
    public static func isKindName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= 32, (97...122).contains(first) else { return false }
        return bytes.allSatisfy { (48...57).contains($0) || (97...122).contains($0) || $0 == 45 }
    }

    /// Whether the tombstone register says the record is deleted.
    public var isDeleted: Bool { self[Self.deletedField]?.value.bool ?? false }

    /// Every stamp in the state.
    public var stamps: [Stamp] { fields.map(\.register.stamp) }

    /// Replaces the registers with an already sorted list (for the merge).
    mutating func replaceFields(_ sorted: [Field]) { fields = sorted }

    /// The greatest stamp in the state (nil for a state with no registers).
    public var latestStamp: Stamp? { fields.lazy.map(\.register.stamp).max() }
}
