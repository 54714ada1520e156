extension RecordState: Codable {
    /// The most registers a record state may carry on the wire.
    public static let maxFields = 64

    enum CodingKeys: String, CodingKey { case id, version, fields }

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
        self.init(id: id, registers: registers, version: try container.decode(VersionVector.self, forKey: .version))
    }

    /// Encodes the state.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(version, forKey: .version)
        try container.encode(Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.register) }), forKey: .fields)
    }
}

extension Conflict: Codable {
    enum CodingKeys: String, CodingKey { case id, record, fields, storedVersion, incomingVersion, detectedBy }
    enum FieldKeys: String, CodingKey { case field, stored, incoming, winner }

    /// Decodes a conflict entry; its id is recomputed from its record and vectors, and must match.
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
        self.init(record: try container.decode(String.self, forKey: .record), fields: fields,
                  storedVersion: try container.decode(VersionVector.self, forKey: .storedVersion),
                  incomingVersion: try container.decode(VersionVector.self, forKey: .incomingVersion),
                  detectedBy: try container.decode(ReplicaID.self, forKey: .detectedBy))
        if let claimed = try container.decodeIfPresent(String.self, forKey: .id), claimed != id {
            throw DecodingError.dataCorruptedError(forKey: .id, in: container, debugDescription: "conflict id \(claimed) does not match its record and vectors (\(id))")
        }
    }

    /// Encodes the conflict entry.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
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
