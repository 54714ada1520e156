import Foundation

/// The fields of a URL-encoded form (`a=1&b=x+y`, what browsers send) or of a query.
public struct FormFields: Sendable {
    private let fields: [String: String]

    /// Decodes `text`; a field named twice keeps its last value.
    public init(_ text: String) {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decode(_ s: Substring) -> String { String(s).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            guard let key = parts.first.map(decode), !key.isEmpty else { continue }
            fields[key] = parts.count > 1 ? decode(parts[1]) : ""
        }
        self.fields = fields
    }

    /// A field as sent.
    public subscript(_ key: String) -> String? { fields[key] }

    /// Every field whose name starts with `prefix` (a per-field choice such as `f.note`).
    public func fields(prefixed prefix: String) -> [String: String] { fields.filter { $0.key.hasPrefix(prefix) } }

    /// A field with surrounding spaces trimmed, nil when empty.
    public func text(_ key: String) -> String? {
        fields[key].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
    }
}
