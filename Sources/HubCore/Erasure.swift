/// What a subject erasure changed (`fieldsync-server subject erase`).
public struct ErasureCounts: Codable, Sendable, Equatable {
    /// Visits erased now (those erased before are not counted again).
    public var visits = 0
    /// Conflict entries whose values about the citizen were blanked.
    public var conflicts = 0
    /// Quarantined payloads emptied.
    public var quarantined = 0

    /// No changes yet.
    public init() {}
}
