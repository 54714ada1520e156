/// A hybrid-logical-clock value `(physical ms, logical counter, replica)`, totally ordered in that order.
///
/// Its text form `MMMMMMMMMMMM-CCCCCCCC-RRRRRRRRRRRRRRRR` (12, 8 and 16 lowercase hex digits) sorts
/// as strings in the same order as the stamps.
public struct Stamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds since the Unix epoch (below 2^48).
    public let millis: UInt64
    /// Orders events within the same millisecond.
    public let counter: UInt32
    /// The replica that made the stamp: breaks every remaining tie.
    public let replica: ReplicaID

    /// The largest millisecond value a stamp can carry (12 hex digits).
    public static let maxMillis: UInt64 = (1 << 48) - 1

    /// Makes a stamp from its parts.
    public init(millis: UInt64, counter: UInt32, replica: ReplicaID) {
        self.millis = millis
        self.counter = counter
        self.replica = replica
    }

    /// Parses the text form; nil when it is not exactly that form.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 38, bytes[12] == UInt8(ascii: "-"), bytes[21] == UInt8(ascii: "-"),
              let millis = Hex.parse(bytes[0..<12]),
              let counter = Hex.parse(bytes[13..<21]),
              let replica = Hex.parse(bytes[22..<38])
        else { return nil }
        self.init(millis: millis, counter: UInt32(counter), replica: ReplicaID(rawValue: replica))
    }

    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(38)
        Hex.append(millis, width: 12, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(UInt64(counter), width: 8, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        Hex.append(replica.rawValue, width: 16, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func < (lhs: Stamp, rhs: Stamp) -> Bool {
        if lhs.millis != rhs.millis { return lhs.millis < rhs.millis }
        if lhs.counter != rhs.counter { return lhs.counter < rhs.counter }
        return lhs.replica < rhs.replica
    }
}
