extension FieldValue {
    /// How complete the encoding of a value is (Protocol/README.md §4.1): for an object, its `hash`
    /// member — none 0, a keyed hash of 64 hex digits 1, a pseudonym `p<k>.<hex>` under key version k: k + 1;
    /// anything else 0. Two copies of one write differ only there (a pseudonym filled in or re-derived).
    public var encodingRank: Int {
        guard let hash = object?["hash"]?.text else { return 0 }
        guard hash.hasPrefix("p") else { return hash.utf8.count == 64 ? 1 : 0 }
        let digits = hash.dropFirst().prefix { $0 != "." }
        guard (1...6).contains(digits.count), digits.allSatisfy({ $0.isASCII && $0.isNumber }), let version = Int(digits) else { return 0 }
        return version + 1
    }

    /// A total order of values for two copies of the same write: by encoding rank, then by structure,
    /// so the join of registers stays commutative, associative and idempotent whatever copies meet.
    public func encodedBefore(_ other: FieldValue) -> Bool {
        let (a, b) = (encodingRank, other.encodingRank)
        return a != b ? a < b : Self.precedes(self, other)
    }

    private var kind: Int {
        switch self {
        case .null: 0
        case .bool: 1
        case .int: 2
        case .text: 3
        case .object: 4
        }
    }

    private static func precedes(_ x: FieldValue, _ y: FieldValue) -> Bool {
        switch (x, y) {
        case (.bool(let a), .bool(let b)): return !a && b
        case (.int(let a), .int(let b)): return a < b
        case (.text(let a), .text(let b)): return Array(a.utf8).lexicographicallyPrecedes(b.utf8)
        case (.object(let a), .object(let b)):
            let keys = Set(a.keys).union(b.keys).sorted { Array($0.utf8).lexicographicallyPrecedes($1.utf8) }
            for key in keys {
                let (u, v) = (a[key], b[key])
                if u == v { continue }
                guard let u else { return true }
                guard let v else { return false }
                return precedes(u, v)
            }
            return false
        default: return x.kind < y.kind
        }
    }
}
