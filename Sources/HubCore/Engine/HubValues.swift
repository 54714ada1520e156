/// One row read back from an engine, its columns by name (`NamedColumns`): a name the query did not select is an
/// error naming it, and a NULL reads as nil or 0, on every engine.
public struct HubValues: Sendable {
    /// Column name → position, shared by every row of one result.
    let names: [String: Int]
    let values: [HubValue]

    /// A row of `values` under the result's column `names`.
    public init(names: [String: Int], values: [HubValue]) {
        self.names = names
        self.values = values
    }

    /// The names of a result's columns as a lookup (the first of two equal names wins).
    public static func lookup(_ columns: [String]) -> [String: Int] {
        Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func value(_ name: String) throws(HubError) -> HubValue {
        guard let index = names[name], index < values.count else { throw HubError.noColumn(name) }
        return values[index]
    }
}

extension HubValues: NamedColumns {
    public func text(_ name: String) throws(HubError) -> String? {
        switch try value(name) {
        case .null: return nil
        case .text(let text): return text
        case .integer(let n): return String(n)
        case .real(let x): return String(x)
        case .blob(let bytes): return String(decoding: bytes, as: UTF8.self)
        case .texts, .integers: throw HubError.storage(detail: "column \(name) is a list, not text")
        }
    }

    public func int64(_ name: String) throws(HubError) -> Int64 {
        switch try value(name) {
        case .null: return 0
        case .integer(let n): return n
        case .real(let x): return Int64(exactly: x.rounded(.towardZero)) ?? 0
        case .text(let text):
            guard let n = Int64(text) else { throw HubError.storage(detail: "column \(name) is not an integer") }
            return n
        case .blob, .texts, .integers: throw HubError.storage(detail: "column \(name) is not an integer")
        }
    }

    public func blob(_ name: String) throws(HubError) -> [UInt8]? {
        switch try value(name) {
        case .null: return nil
        case .blob(let bytes): return bytes
        case .text(let text): return Array(text.utf8)
        default: throw HubError.storage(detail: "column \(name) is not bytes")
        }
    }

    /// The named column as an Int (0 for NULL).
    public func int(_ name: String) throws(HubError) -> Int { Int(truncatingIfNeeded: try int64(name)) }

    /// The named column as an unsigned counter (0 for NULL or a negative value).
    public func counter(_ name: String) throws(HubError) -> UInt64 { UInt64(clamping: try int64(name)) }

    /// The named column as a Double (0 for NULL).
    public func double(_ name: String) throws(HubError) -> Double {
        switch try value(name) {
        case .real(let x): return x
        default: return Double(try int64(name))
        }
    }

    /// Whether the named column is NULL.
    public func isNull(_ name: String) throws(HubError) -> Bool { try value(name) == .null }
}
