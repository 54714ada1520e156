import SyncCore

/// One write of a replica, named for the hub (Protocol/README.md §1): the record it went to, its seq (with the
/// replica, its identity) and its stamp.
public struct WriteRef: Codable, Sendable, Equatable, Hashable {
    public var record: String
    public var seq: UInt64
    public var stamp: Stamp

    /// Names a write.
    public init(record: String, seq: UInt64, stamp: Stamp) {
        self.record = record
        self.seq = seq
        self.stamp = stamp
    }

    /// Whether it is well formed: a record id of 1 to 64 characters and a seq from 1 to 2^53.
    public var isValid: Bool { !record.isEmpty && record.utf8.count <= 64 && (1...WireLimits.maxCounter).contains(seq) }
}

/// A device's question after the hub found its store restored (Protocol/README.md §1.1): which of these
/// writes of one of its replicas does the hub hold, exactly as the device has them? The answer decides
/// what the device writes again under its new replica id.
public struct HeldWritesRequest: Codable, Sendable, Equatable {
    /// The replica that made the writes (one of the asking device's).
    public var replica: ReplicaID
    /// At most `maxWrites` writes.
    public var writes: [WriteRef]

    /// Most writes in one question.
    public static let maxWrites = 5_000

    /// Makes a question.
    public init(replica: ReplicaID, writes: [WriteRef]) {
        self.replica = replica
        self.writes = writes
    }
}

/// The hub's answer: the highest seq it has seen from the replica, and the seqs of the writes asked about
/// that it holds with the same record and stamp.
public struct HeldWritesResponse: Codable, Sendable, Equatable {
    public var highWater: UInt64
    public var held: [UInt64]

    /// Makes an answer.
    public init(highWater: UInt64, held: [UInt64]) {
        self.highWater = highWater
        self.held = held
    }
}
