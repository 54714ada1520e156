import SyncCore

/// One page of states changed at the hub after a cursor (Protocol/README.md §7).
public struct PullPage: Codable, Sendable {
    /// The states, in hub change order.
    public var records: [RecordState]
    /// The hub change counter of the last state (or the request's cursor when empty).
    public var cursor: UInt64
    /// Whether more pages follow.
    public var more: Bool
    /// Open conflict entries about the page's records in which a write of the pulling device lost
    /// (nil when there are none): a device that pushed first hears of it here.
    public var conflicts: [Conflict]?

    /// Makes a page.
    public init(records: [RecordState], cursor: UInt64, more: Bool, conflicts: [Conflict]? = nil) {
        self.records = records
        self.cursor = cursor
        self.more = more
        self.conflicts = conflicts
    }
}
