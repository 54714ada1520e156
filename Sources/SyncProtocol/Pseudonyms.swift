/// The hub's public pseudonym key: laptops blind citizen IDs for it and verify its evaluations (Protocol/README.md §4.2).
public struct PseudonymKey: Codable, Sendable, Equatable {
    /// The key's version (1, 2, … after each `keys rotate`); pseudonyms under it read `p<version>.…`.
    public var version: Int
    /// The compressed P-384 public key, 98 lowercase hex digits.
    public var publicKey: String

    /// Makes a key description.
    public init(version: Int, publicKey: String) {
        self.version = version
        self.publicKey = publicKey
    }
}

/// `POST /v1/pseudonyms`: blinded citizen IDs to evaluate.
public struct PseudonymRequest: Codable, Sendable, Equatable {
    /// Blinded elements (RFC 9497, 98 lowercase hex digits each), at most `WireLimits.maxPushRecords`.
    public var blinded: [String]

    /// Makes a request.
    public init(blinded: [String]) { self.blinded = blinded }
}

/// The hub's evaluations, in the order of the request; fewer than asked when the device's daily
/// allowance ran out (the rest wait for a later sync).
public struct PseudonymResponse: Codable, Sendable, Equatable {
    /// The key that evaluated them.
    public var key: PseudonymKey
    /// One evaluation with its proof per blinded element evaluated (hex).
    public var evaluations: [String]
    /// How many more this device may have evaluated today.
    public var remainingToday: Int

    /// Makes a response.
    public init(key: PseudonymKey, evaluations: [String], remainingToday: Int) {
        self.key = key
        self.evaluations = evaluations
        self.remainingToday = remainingToday
    }
}

extension PseudonymKey {
    /// The form stores keep: `<version>:<public key hex>`.
    public var stored: String { "\(version):\(publicKey)" }

    /// Reads the stored form (nil for an empty or malformed one).
    public init?(stored: String) {
        let parts = stored.split(separator: ":")
        guard parts.count == 2, let version = Int(parts[0]), version > 0 else { return nil }
        self.init(version: version, publicKey: String(parts[1]))
    }
}
