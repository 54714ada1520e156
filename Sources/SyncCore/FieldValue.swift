/// The value a register holds: a small JSON-like value (the sync layer never interprets it).
public indirect enum FieldValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case text(String)
    case object([String: FieldValue])

    /// The text, when this is text.
    public var text: String? { if case .text(let value) = self { value } else { nil } }
    /// The boolean, when this is a boolean.
    public var bool: Bool? { if case .bool(let value) = self { value } else { nil } }
    /// The members, when this is an object.
    public var object: [String: FieldValue]? { if case .object(let value) = self { value } else { nil } }
    /// Text, or null when absent.
    public static func text(_ value: String?) -> FieldValue { value.map { .text($0) } ?? .null }
}
