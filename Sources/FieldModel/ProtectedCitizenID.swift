/// What leaves the volunteer's laptop of a citizen ID: a masked form to show and a keyed hash to match.
public struct ProtectedCitizenID: Hashable, Sendable {
    /// The ID with its middle digits hidden (`001******345`).
    public var masked: String
    /// Lowercase hex HMAC-SHA256 of the 12 digits under the deployment's key; nil until the device has the key.
    public var keyedHash: String?

    /// Makes the protected form from its parts.
    public init(masked: String, keyedHash: String?) {
        self.masked = masked
        self.keyedHash = keyedHash
    }

    /// Whether a text has exactly the masked shape `DDD******DDD` (so a raw ID can never pass for one).
    public static func isMaskedForm(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 12 else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            (3..<9).contains(index) ? byte == UInt8(ascii: "*") : (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
    }
}
