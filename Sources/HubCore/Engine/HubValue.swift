/// A value bound to a statement or read from a row, on every storage engine.
public enum HubValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
    /// A list of texts matched with `SQLDialect.isIn` (PostgreSQL: an array; SQLite: JSON read by `json_each`).
    case texts([String])
    /// A list of integers matched with `SQLDialect.isIn`.
    case integers([Int64])

    /// Text, or NULL when absent.
    public static func text(_ value: String?) -> HubValue { value.map { .text($0) } ?? .null }
    /// An integer, or NULL when absent.
    public static func integer(_ value: Int?) -> HubValue { value.map { .integer(Int64($0)) } ?? .null }
    /// An unsigned counter (a seq, a change number), clamped to what the stores hold.
    public static func counter(_ value: UInt64) -> HubValue { .integer(Int64(clamping: value)) }
    /// A boolean as 0 or 1.
    public static func bool(_ value: Bool) -> HubValue { .integer(value ? 1 : 0) }
}

extension HubValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(nilLiteral: ()) { self = .null }
}
