import SyncCore

/// A batch of record states a device wrote since its last acknowledged push (Protocol/README.md §6).
public struct PushRequest: Codable, Sendable {
    /// The pushing replica.
    public var replica: ReplicaID
    /// Its current change counter (for the restored-laptop rule).
    public var seq: UInt64
    /// The batch's id, chosen by the device (the same on a retry).
    public var batch: String
    /// Records the device still has to push after this batch.
    public var unsynced: Int?
    /// Full states of the records.
    public var records: [RecordState]
    /// Conflicts the device's own merges found.
    public var conflicts: [Conflict]?
    /// The device's pull cursor, on the last batch of a sync: the answer then carries the first pull
    /// page (§6.2), so a sync with nothing more to pull takes one request.
    public var pullAfter: UInt64?
    /// The device's sync session (random, one per sync): pull pages of the same session pass the states this
    /// push stored exactly as sent, without sending them back (§6.2).
    public var sync: String?
    /// The pushing replica's writes to the batch's records since its last acknowledged push that the states'
    /// registers no longer show (a later write here replaced them): the hub checks their identities as it
    /// checks the registers' (§1), so a restored store that wrote twice to one field is caught too.
    public var writes: [WriteRef]?

    /// Most writes a push names beside its registers.
    public static let maxWrites = 5_000

    /// Makes a push request.
    public init(replica: ReplicaID, seq: UInt64, batch: String, unsynced: Int?, records: [RecordState], conflicts: [Conflict]?,
                pullAfter: UInt64? = nil, sync: String? = nil, writes: [WriteRef]? = nil) {
        self.replica = replica
        self.seq = seq
        self.batch = batch
        self.unsynced = unsynced
        self.records = records
        self.conflicts = conflicts
        self.pullAfter = pullAfter
        self.sync = sync
        self.writes = writes
    }

    /// Whether a text may name a sync session: 1 to 64 ASCII letters, digits or `-`.
    public static func isSession(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64 && text.utf8.allSatisfy { $0 == 45 || (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) }
    }

    /// How the hub marks a state a device's session stored exactly as sent.
    public static func sentIn(device: String, session: String) -> String { device + " " + session }
}

/// What the hub did with a push.
public struct PushResponse: Codable, Sendable, Equatable {
    public var batch: String
    public var received: Int
    public var alreadyKnown: Int
    public var fastForward: Int
    /// Concurrent states whose writes touched different fields: combined, no entry (absent from protocol-1 hubs).
    public var merged: Int
    /// States with at least one field (or bound group) written concurrently.
    public var conflicts: Int
    /// States where an edit met a deletion (absent from protocol-1 hubs).
    public var editVsDelete: Int
    /// Records the hub quarantined instead of merging.
    public var rejected: [Rejection]
    /// The hub's change counter after the batch.
    public var hubSeq: UInt64
    /// The conflict entries the hub's merge of this batch found.
    public var conflictEntries: [Conflict]?
    /// Conflict entries of the push the hub did not keep (malformed, or about a visit outside the
    /// device's scope), by conflict id; the device need not send them again.
    public var rejectedConflicts: [Rejection]?
    /// The hub store's incarnation: it changes when the store was restored from a backup, and a device
    /// that sees it change sends everything it wrote again and pulls from the start (Protocol/README.md §6).
    public var hubIncarnation: String?
    /// The highest seq the hub has seen from the pushing replica (§1): a device whose own seq is below it was
    /// restored from an older copy and takes a new replica id before it writes again.
    public var highWater: UInt64?
    /// The version of the hub's pseudonym key: a device holding an older one re-derives its pseudonyms at its next sync.
    public var pseudonymKeyVersion: Int?
    /// Records of the push the hub had compacted (§7.2) and that the push did not change: the device drops its copies.
    public var forgotten: [String]?
    /// The first pull page after the request's `pullAfter` (§6.2), without the states the hub stored
    /// exactly as this push sent them; nil when the request named no cursor.
    public var pull: PullPage?
    /// On a sync's last batch, for a laptop with bundle keys: its certificate renewed, and the devices of
    /// its commune the hub revoked (§9.1), for LAN syncs between laptops.
    public var certificate: DeviceCertificate?
    public var revoked: [String]?

    /// Makes a response.
    public init(batch: String, received: Int = 0, alreadyKnown: Int = 0, fastForward: Int = 0, conflicts: Int = 0,
                rejected: [Rejection] = [], hubSeq: UInt64 = 0, conflictEntries: [Conflict]? = nil) {
        self.batch = batch
        self.received = received
        self.alreadyKnown = alreadyKnown
        self.fastForward = fastForward
        self.merged = 0
        self.conflicts = conflicts
        self.editVsDelete = 0
        self.rejected = rejected
        self.hubSeq = hubSeq
        self.conflictEntries = conflictEntries
    }
}

extension PushResponse {
    enum CodingKeys: String, CodingKey {
        case batch, received, alreadyKnown, fastForward, merged, conflicts, editVsDelete, rejected, hubSeq, conflictEntries,
             rejectedConflicts, hubIncarnation, highWater, pseudonymKeyVersion, forgotten, pull, certificate, revoked
    }

    /// Reads a response; `merged` and `editVsDelete` default to 0 (a protocol-1 hub counted both as conflicts).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        batch = try c.decode(String.self, forKey: .batch)
        received = try c.decode(Int.self, forKey: .received)
        alreadyKnown = try c.decode(Int.self, forKey: .alreadyKnown)
        fastForward = try c.decode(Int.self, forKey: .fastForward)
        merged = try c.decodeIfPresent(Int.self, forKey: .merged) ?? 0
        conflicts = try c.decode(Int.self, forKey: .conflicts)
        editVsDelete = try c.decodeIfPresent(Int.self, forKey: .editVsDelete) ?? 0
        rejected = try c.decode([Rejection].self, forKey: .rejected)
        hubSeq = try c.decode(UInt64.self, forKey: .hubSeq)
        conflictEntries = try c.decodeIfPresent([Conflict].self, forKey: .conflictEntries)
        rejectedConflicts = try c.decodeIfPresent([Rejection].self, forKey: .rejectedConflicts)
        hubIncarnation = try c.decodeIfPresent(String.self, forKey: .hubIncarnation)
        highWater = try c.decodeIfPresent(UInt64.self, forKey: .highWater)
        pseudonymKeyVersion = try c.decodeIfPresent(Int.self, forKey: .pseudonymKeyVersion)
        forgotten = try c.decodeIfPresent([String].self, forKey: .forgotten)
        pull = try c.decodeIfPresent(PullPage.self, forKey: .pull)
        certificate = try c.decodeIfPresent(DeviceCertificate.self, forKey: .certificate)
        revoked = try c.decodeIfPresent([String].self, forKey: .revoked)
    }
}

/// One record the hub refused, with why.
public struct Rejection: Codable, Sendable, Equatable {
    /// The record's id.
    public var id: String
    /// `invalid_record`, `out_of_scope` or `clock_ahead`.
    public var code: String
    /// What is wrong, for the volunteer.
    public var message: String

    /// Makes a rejection.
    public init(id: String, code: String, message: String) {
        self.id = id
        self.code = code
        self.message = message
    }
}
