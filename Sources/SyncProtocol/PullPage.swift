import SyncCore

/// One page of states changed at the hub after a cursor (Protocol/README.md §7).
public struct PullPage: Codable, Sendable, Equatable {
    /// The states, in hub change order.
    public var records: [RecordState]
    /// The hub change counter of the last state (or the request's cursor when empty).
    public var cursor: UInt64
    /// Whether more pages follow.
    public var more: Bool
    /// Open conflict entries about the page's records in which a write of the pulling device lost
    /// (nil when there are none): a device that pushed first hears of it here.
    public var conflicts: [Conflict]?
    /// Deleted visits the hub compacted after the cursor (§7.2): the device removes its copies (nil when none).
    public var forgotten: [String]?
    /// The villages whose households the device receives (§7.3, issue 31), when its team covers some: its pull holds
    /// their households, their visits, the team's visits of no household; nil when it receives its whole commune.
    /// A device that sees the list change removes what it no longer covers and pulls again from the start.
    public var villages: [String]?

    /// Makes a page.
    public init(records: [RecordState], cursor: UInt64, more: Bool, conflicts: [Conflict]? = nil, forgotten: [String]? = nil,
                villages: [String]? = nil) {
        self.records = records
        self.cursor = cursor
        self.more = more
        self.conflicts = conflicts
        self.forgotten = forgotten
        self.villages = villages
    }
}

extension PullPage {
    /// The first `limit` changes after a cursor, from the stored states and the compacted ids, each
    /// read in change order with up to `limit + 1` rows (one more tells that more follow).
    public struct Changes: Sendable {
        /// The page's states, in change order.
        public var records: [RecordState] = []
        /// The page's compacted ids, in change order.
        public var forgotten: [String] = []
        /// The change number of the page's last change; nil for an empty page.
        public var cursor: UInt64?
        /// Whether changes follow the page.
        public var more = false

        /// Interleaves both by change number and keeps the first `limit`.
        /// - Parameter passedThrough: when the states of the pulling session were left out of `records`
        ///   (§6.2), the highest change number in scope after the cursor: a page that ends the pull passes them.
        public init(records: [(state: RecordState, hubSeq: UInt64)], forgotten: [(id: String, hubSeq: UInt64)], limit: Int,
                    passedThrough: UInt64? = nil) {
            var i = 0, j = 0
            while i + j < limit, i < records.count || j < forgotten.count {
                if j == forgotten.count || (i < records.count && records[i].hubSeq < forgotten[j].hubSeq) {
                    self.records.append(records[i].state)
                    cursor = records[i].hubSeq
                    i += 1
                } else {
                    self.forgotten.append(forgotten[j].id)
                    cursor = forgotten[j].hubSeq
                    j += 1
                }
            }
            more = i < records.count || j < forgotten.count
            if !more, let passedThrough, passedThrough > cursor ?? 0 { cursor = passedThrough }
        }
    }
}
