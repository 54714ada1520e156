/// The release of FieldSync every program reports (`--version`, `/v1/health`) and every request names.
public enum FieldSyncVersion {
    /// Semantic version of this release.
    public static let current = "0.4.0"
    /// The sync protocol this release speaks (Protocol/README.md §8.2): 4 adds write identities and high-waters (§1);
    /// 5 keeps, merges and sends back the registers of fields and options the laptop has not received (§12).
    public static let protocolVersion = 5
    /// The protocol a laptop must speak once a hub has published a kind version: older ones drop fields they do not know.
    public static let publishedKindsProtocol = 5
    /// The request header that names the client (`FieldSync-Client: fieldsync/0.4.0 protocol/5`).
    public static let header = "FieldSync-Client"
    /// This program's value of the header.
    public static var headerValue: String { "fieldsync/\(current) protocol/\(protocolVersion)" }

    /// The protocol a `FieldSync-Client` header value names (`… protocol/5`), nil when it names none.
    public static func protocolNamed(by header: String?) -> Int? {
        guard let part = header?.split(separator: " ").first(where: { $0.hasPrefix("protocol/") }) else { return nil }
        let digits = part.dropFirst("protocol/".count)
        guard (1...4).contains(digits.utf8.count), digits.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        return Int(digits)
    }
}

/// A release number, `MAJOR.MINOR.PATCH`, ordered as numbers (0.10.0 after 0.9.2).
public struct ReleaseVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let parts: [Int]

    /// Reads `1.2.3` (one to three numbers of up to 6 digits); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let pieces = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(pieces.count) else { return nil }
        var parts: [Int] = []
        for piece in pieces {
            guard (1...6).contains(piece.utf8.count), piece.utf8.allSatisfy({ (48...57).contains($0) }), let n = Int(piece) else { return nil }
            parts.append(n)
        }
        self.parts = parts + Array(repeating: 0, count: 3 - parts.count)
    }

    /// The version named by a `FieldSync-Client` header value (`fieldsync/0.4.0 protocol/5`), nil when it names none.
    public init?(header: String?) {
        guard let header, let product = header.split(separator: " ").first, product.hasPrefix("fieldsync/") else { return nil }
        self.init(product.dropFirst("fieldsync/".count))
    }

    public var description: String { parts.map(String.init).joined(separator: ".") }

    public static func < (a: ReleaseVersion, b: ReleaseVersion) -> Bool { a.parts.lexicographicallyPrecedes(b.parts) }
}
