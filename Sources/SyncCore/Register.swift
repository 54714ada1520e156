/// A last-writer-wins register: a value, the stamp of the write that set it and that write's seq.
///
/// `(stamp.replica, seq)` is the write's dot: a version vector that holds `seq` or more for the
/// writer has seen the write (Protocol/README.md §4). A seq of 0 means unknown (a register written
/// before FieldSync recorded it); such a register is compared as protocol version 1 did.
public struct Register: Hashable, Sendable {
    /// The value written.
    public var value: FieldValue
    /// When, and by which replica, it was written.
    public var stamp: Stamp
    /// The writer's seq for this write (0: unknown).
    public var seq: UInt64

    /// Makes a register.
    public init(value: FieldValue, stamp: Stamp, seq: UInt64 = 0) {
        self.value = value
        self.stamp = stamp
        self.seq = seq
    }

    /// The write that set the register.
    public var write: WriteID { WriteID(stamp: stamp, seq: seq) }

    /// Whether it is ordered after `other`: by stamp, then (for the same stamp) by seq, so the join
    /// stays commutative even when one copy of a write has lost its seq; two copies of one write
    /// (a citizen ID whose pseudonym was filled in later) by their values' encoding order.
    @inlinable
    public func isAfter(_ other: Register) -> Bool {
        stamp != other.stamp ? stamp > other.stamp : seq != other.seq ? seq > other.seq : other.value.encodedBefore(value)
    }

    /// The join of two registers: the later one.
    @inlinable
    public func merged(with other: Register) -> Register {
        other.isAfter(self) ? other : self
    }
}

/// The identity of one write as stores keep it beside a field: its stamp and the writer's seq.
public struct WriteID: Hashable, Sendable {
    /// The write's stamp (names the writer).
    public let stamp: Stamp
    /// The writer's seq for the write (0: unknown).
    public let seq: UInt64

    /// Makes a write identity.
    public init(stamp: Stamp, seq: UInt64) {
        self.stamp = stamp
        self.seq = seq
    }
}

extension VersionVector {
    /// Whether a state with this vector has seen the write that set `register` (false when its seq is unknown).
    @inlinable
    public func covers(_ register: Register) -> Bool {
        register.seq > 0 && self[register.stamp.replica] >= register.seq
    }
}
