/// What the engines' SQL spells differently, for statements written once in the hub's core. Statements use `?`
/// placeholders, bound in order; an engine rewrites them as it needs (PostgreSQL: `$1`, `$2`, …).
public enum SQLDialect: Sendable {
    case sqlite
    case postgres

    /// `expression` is one of the list bound at this `?` (`HubValue.texts` or `.integers`).
    public func isIn(_ expression: String) -> String {
        switch self {
        case .sqlite: "\(expression) IN (SELECT value FROM json_each(?))"
        case .postgres: "\(expression) = ANY(?)"
        }
    }

    /// The suffix of a SELECT that locks the rows it reads until the transaction ends (SQLite: its one writer
    /// holds the whole store already).
    public var forUpdate: String {
        switch self {
        case .sqlite: ""
        case .postgres: " FOR UPDATE"
        }
    }

    /// The larger of two values.
    public func greatest(_ a: String, _ b: String) -> String {
        switch self {
        case .sqlite: "max(\(a), \(b))"
        case .postgres: "greatest(\(a), \(b))"
        }
    }

    /// The size in bytes of a text column.
    public func byteLength(_ column: String) -> String {
        switch self {
        case .sqlite: "length(CAST(\(column) AS BLOB))"
        case .postgres: "octet_length(\(column))"
        }
    }
}
