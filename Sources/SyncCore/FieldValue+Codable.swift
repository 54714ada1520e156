extension FieldValue: Codable {
    /// Decodes null, a boolean, an integer, a string, or an object of those (no arrays, no fractions).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Losing this error is safe: trying each JSON type in turn; when none fits, the last branch throws a typed error.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .int(value)
        } else if let value = try? container.decode(String.self) {
            self = .text(value)
        } else if let value = try? container.decode([String: FieldValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "a field value must be null, a boolean, an integer, a string or an object")
        }
    }

    /// Encodes the value as plain JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .int(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }
}

extension Register: Codable {
    enum CodingKeys: String, CodingKey { case value, stamp, seq }

    /// Decodes `{"value": …, "stamp": "…", "seq": n}`; a missing value is null, a missing seq unknown (0).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let seq = try container.decodeIfPresent(UInt64.self, forKey: .seq) ?? 0
        guard seq <= VersionVector.maxSeq else {
            throw DecodingError.dataCorruptedError(forKey: .seq, in: container, debugDescription: "seq \(seq) is outside 0…2^53")
        }
        self.init(value: try container.decodeIfPresent(FieldValue.self, forKey: .value) ?? .null,
                  stamp: try container.decode(Stamp.self, forKey: .stamp), seq: seq)
    }

    /// Encodes `{"seq": n, "stamp": "…", "value": …}` (null values included; the seq only when known).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        if seq > 0 { try container.encode(seq, forKey: .seq) }
        try container.encode(stamp, forKey: .stamp)
        try container.encode(value, forKey: .value)
    }
}
