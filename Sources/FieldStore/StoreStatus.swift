/// A summary of a store for `fieldsync status`.
public struct StoreStatus: Sendable, Codable, Equatable {
    public var store: String
    public var replica: String
    public var volunteer: String
    public var team: String
    public var commune: String
    public var communeName: String
    public var province: String
    public var seq: UInt64
    public var visits: Int
    public var deleted: Int
    /// Visits with local writes the hub has not acknowledged.
    public var unsynced: Int
    /// Visits flagged for correction (refused by the hub, or outside this laptop's commune).
    public var flagged: Int
    public var schema: Int
    /// The hub this store is enrolled with, if any.
    public var server: String?
    /// When the last successful sync finished, if ever.
    public var lastSync: String?
    /// Whether the visits are encrypted, and unlocked.
    public var lock: LockState = .none
}
