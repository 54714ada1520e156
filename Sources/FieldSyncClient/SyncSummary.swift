/// What one `fieldsync sync` did.
public struct SyncSummary: Codable, Sendable, Equatable {
    /// An empty summary, filled in as a sync goes.
    public init() {}

    /// Visits sent to the hub.
    public var pushed = 0
    /// Of those, already at the hub / newer than the hub's / combined with other laptops' writes to
    /// other fields / written concurrently on some field / edits that met a deletion (or the reverse).
    public var alreadyKnown = 0
    public var fastForward = 0
    public var merged = 0
    public var conflicts = 0
    public var editVsDelete = 0
    /// Visits the hub refused, with why.
    public var rejected: [Rejected] = []
    /// States received from the hub, and conflicts found merging them here.
    public var pulled = 0
    public var pullConflicts = 0
    /// Deleted visits removed from this laptop because the hub compacted them (Protocol/README.md §7.2).
    public var compacted = 0
    /// Bytes of request bodies sent and of answer bodies received, as on the wire (compressed when they were).
    public var bytesSent = 0
    public var bytesReceived = 0
    /// Batches and pages exchanged.
    public var batches = 0
    public var pages = 0
    /// Whether the hub turned out restored from a backup (this laptop then sent everything again).
    public var hubRestored = false
    /// Why the store took a new replica id during this sync, if it did.
    public var reidentified: String?
    /// What happened to this laptop's own writes that lost (nothing else), in words.
    public var myConflicts: [String] = []
    /// Citizen IDs turned into pseudonyms by the hub during this sync, and those still waiting
    /// (the laptop's daily allowance at the hub was used up): they get theirs at a later sync.
    public var pseudonyms = 0
    public var pseudonymsWaiting = 0
    /// The hub's pseudonym key version, as its push answers name it.
    public var pseudonymKeyVersion: Int?
    /// Visits flagged on this laptop (refused by the hub, or outside its commune), waiting for a correction.
    public var flagged = 0
    /// Visits a coordinator returned for correction and not corrected since (issue 33).
    public var needsCorrection = 0

    /// A refused visit.
    public struct Rejected: Codable, Sendable, Equatable {
        public var id: String
        public var code: String
        public var message: String
    }
}
