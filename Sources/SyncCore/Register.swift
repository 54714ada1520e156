/// A last-writer-wins register: a value and the stamp of the write that set it.
public struct Register: Hashable, Sendable {
    /// The value written.
    public var value: FieldValue
    /// When, and by which replica, it was written.
    public var stamp: Stamp

    /// Makes a register.
    public init(value: FieldValue, stamp: Stamp) {
        self.value = value
        self.stamp = stamp
    }

    /// The join of two registers: the one with the greater stamp.
    @inlinable
    public func merged(with other: Register) -> Register {
        other.stamp > stamp ? other : self
    }
}
