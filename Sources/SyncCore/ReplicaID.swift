/// The stable random identity of one replica (a field store or the hub): 64 bits, written as 16 hex digits.
///
/// - Note: An identity is never reused: a store restored from a backup takes a new one before it writes.
public struct ReplicaID: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The 64-bit value.
    public let rawValue: UInt64

    /// Wraps a raw value.
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Parses exactly 16 lowercase hex digits.
    public init?(_ text: String) {
        let utf8 = text.utf8
        guard utf8.count == 16, let value = Hex.parse(utf8) else { return nil }
        self.rawValue = value
    }

    /// A fresh random identity from the system's secure generator (never zero).
    public static func random() -> ReplicaID {
        var generator = SystemRandomNumberGenerator()
        return ReplicaID(rawValue: UInt64.random(in: 1...UInt64.max, using: &generator))
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        Hex.append(rawValue, width: 16, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: ReplicaID, rhs: ReplicaID) -> Bool { lhs.rawValue < rhs.rawValue }
}
