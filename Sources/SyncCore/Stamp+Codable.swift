extension Stamp: Codable {
    /// Decodes the text form `MMMMMMMMMMMM-CCCCCCCC-RRRRRRRRRRRRRRRR`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let stamp = Stamp(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "«\(text.prefix(60))» is not a stamp (12-8-16 lowercase hex digits)")
        }
        self = stamp
    }

    /// Encodes the text form.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension ReplicaID: Codable {
    /// Decodes 16 lowercase hex digits.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let id = ReplicaID(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "«\(text.prefix(60))» is not a replica id (16 lowercase hex digits)")
        }
        self = id
    }

    /// Encodes 16 lowercase hex digits.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
