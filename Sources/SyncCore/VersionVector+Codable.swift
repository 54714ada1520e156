extension VersionVector: Codable {
    /// The largest seq the wire carries (JSON numbers are exact up to 2^53).
    public static let maxSeq: UInt64 = 1 << 53

    /// Decodes `{"<replica id>": seq, …}`; every seq must be 1…2^53.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let object = try container.decode([String: UInt64].self)
        var pairs: [(ReplicaID, UInt64)] = []
        pairs.reserveCapacity(object.count)
        for (key, seq) in object {
            guard let replica = ReplicaID(key) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "«\(key.prefix(60))» is not a replica id")
            }
            guard (1...Self.maxSeq).contains(seq) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "seq \(seq) of \(key) is outside 1…2^53")
            }
            pairs.append((replica, seq))
        }
        self.init(pairs)
    }

    /// Encodes `{"<replica id>": seq, …}`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: entries.map { ($0.replica.description, $0.seq) }))
    }
}
