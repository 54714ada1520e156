extension RecordState: Codable {
    /// The most registers a record state may carry on the wire.
    public static let maxFields = 64

    enum CodingKeys: String, CodingKey { case id, kind, version, fields }

    /// Decodes `{"id": …, "version": {…}, "fields": {"name": register, …}}`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let id = try container.decode(String.self, forKey: .id)
        guard !id.isEmpty, id.utf8.count <= 64 else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "a record id is 1–64 characters")
        }
        let registers = try container.decode([String: Register].self, forKey: .fields)
        guard registers.count <= Self.maxFields else {
            throw DecodingError.dataCorruptedError(forKey: .fields, in: container, debugDescription: "more than \(Self.maxFields) fields")
        }
        let kind = try container.decodeIfPresent(String.self, forKey: .kind) ?? Self.visitKind
        guard Self.isKindName(kind) else { throw DecodingError.dataCorruptedError(forKey: .kind, in: container, debugDescription: "not a kind name") }
        self.init(id: id, kind: kind, registers: registers, version: try container.decode(VersionVector.self, forKey: .version))
    }

    /// Encodes the state.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        if kind != Self.visitKind { try container.encode(kind, forKey: .kind) }
        try container.encode(version, forKey: .version)
        try container.encode(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.register) }), forKey: .fields)
    }
}

extension Conflict: Codable {
    enum CodingKeys: String, CodingKey { case id, kind, record, fields, storedVersion, incomingVersion, detectedBy }
    enum FieldKeys: String, CodingKey { case field, stored, incoming, winner }

    /// Decodes a conflict entry; a given id must be its protocol-2 id (or, for entries found before, its
    /// protocol-1 id), which it then keeps.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var list = try container.nestedUnkeyedContainer(forKey: .fields)
        var fields: [FieldDifference] = []
        while !list.isAtEnd {
            let field = try list.nestedContainer(keyedBy: FieldKeys.self)
            fields.append(FieldDifference(field: try field.decode(String.self, forKey: .field),
                                          stored: try field.decodeIfPresent(Register.self, forKey: .stored),
                                          incoming: try field.decodeIfPresent(Register.self, forKey: .incoming),
                                          winner: try field.decode(Side.self, forKey: .winner)))
            guard fields.count <= RecordState.maxFields else {
                throw DecodingError.dataCorruptedError(forKey: .fields, in: container, debugDescription: "too many fields")
            }
        }
        let computed = Conflict(kind: try container.decodeIfPresent(Kind.self, forKey: .kind) ?? .conflict,
                                record: try container.decode(String.self, forKey: .record), fields: fields,
                                storedVersion: try container.decode(VersionVector.self, forKey: .storedVersion),
                                incomingVersion: try container.decode(VersionVector.self, forKey: .incomingVersion),
                                detectedBy: try container.decode(ReplicaID.self, forKey: .detectedBy))
        guard let claimed = try container.decodeIfPresent(String.self, forKey: .id) else {
            self = computed
            return
        }
        guard computed.accepts(id: claimed) else {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "conflict id \(claimed.prefix(40)) does not match its record and writes")
        }
        self.init(id: claimed, kind: computed.kind, record: computed.record, fields: computed.fields,
                  storedVersion: computed.storedVersion, incomingVersion: computed.incomingVersion, detectedBy: computed.detectedBy)
    }

    /// Encodes the conflict entry.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(kind, forKey: .kind)
        try container.encode(record, forKey: .record)
        var list = container.nestedUnkeyedContainer(forKey: .fields)
        for difference in fields {
            var field = list.nestedContainer(keyedBy: FieldKeys.self)
            try field.encode(difference.field, forKey: .field)
            try field.encode(difference.stored, forKey: .stored)
            try field.encode(difference.incoming, forKey: .incoming)
            try field.encode(difference.winner, forKey: .winner)
        }
        try container.encode(storedVersion, forKey: .storedVersion)
        try container.encode(incomingVersion, forKey: .incomingVersion)
        try container.encode(detectedBy, forKey: .detectedBy)
    }
}
