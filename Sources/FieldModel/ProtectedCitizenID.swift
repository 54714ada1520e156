/// What leaves the volunteer's laptop of a citizen ID: a masked form to show and a pseudonym to match.
public struct ProtectedCitizenID: Hashable, Sendable {
    /// The ID with all but its last four digits hidden (`********2345`; `001******345` from older laptops).
    public var masked: String
    /// The pseudonym `p<k>.<96 hex>` the hub's key version k gives the 12 digits (an oblivious PRF,
    /// Protocol/README.md §4.2), or a legacy keyed hash (64 hex) of protocol 2; nil until the first sync.
    public var keyedHash: String?

    /// Makes the protected form from its parts.
    public init(masked: String, keyedHash: String?) {
        self.masked = masked
        self.keyedHash = keyedHash
    }

    /// Whether a text has exactly a masked shape, `********DDDD` or the older `DDD******DDD` (so a raw
    /// ID can never pass for one).
    public static func isMaskedForm(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 12 else { return false }
        if text == Visit.erasedMask { return true }
        let hidden = bytes.first == UInt8(ascii: "*") ? 0..<8 : 3..<9
        return bytes.enumerated().allSatisfy { index, byte in
            hidden.contains(index) ? byte == UInt8(ascii: "*") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }

    /// Whether a text is a pseudonym `p<k>.<96 lowercase hex>` (k from 1 to 999,999) or a legacy keyed hash (64 lowercase hex).
    public static func isMatchForm(_ text: String) -> Bool {
        func hex<S: Sequence<UInt8>>(_ bytes: S) -> Bool { bytes.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }
        let utf8 = text.utf8
        guard utf8.first == UInt8(ascii: "p") else { return utf8.count == 64 && hex(utf8) }
        // "p", the key version (1 to 6 digits, no leading zero), ".", 96 hex digits.
        guard let dot = utf8.firstIndex(of: UInt8(ascii: ".")) else { return false }
        let version = utf8[utf8.index(after: utf8.startIndex)..<dot]
        guard (1...6).contains(version.count), version.first != UInt8(ascii: "0"), version.allSatisfy({ (48...57).contains($0) }) else {
            return false
        }
        let digits = utf8[utf8.index(after: dot)...]
        return digits.count == 96 && hex(digits)
    }

    /// The pseudonym text for key version `version` and the 96 hex digits of the PRF output.
    public static func pseudonym(version: Int, hex: String) -> String { "p\(version).\(hex)" }

    /// The key version of a pseudonym (nil for a legacy keyed hash or none).
    public var pseudonymVersion: Int? {
        guard let hash = keyedHash, hash.hasPrefix("p") else { return nil }
        return Int(hash.dropFirst().prefix { $0 != "." })
    }
}
