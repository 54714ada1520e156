import Foundation
import SyncCore

/// What a compaction did, or would do (`fieldsync-server compact`, Protocol/README.md §7.2).
public struct Compaction: Codable, Sendable, Equatable {
    /// The hub change number every active device had pulled through.
    public var horizon: UInt64 = 0
    /// The devices whose checkpoint is the horizon (the ones holding it back).
    public var heldBy: [String] = []
    /// Devices left out: revoked, or silent for longer than the grace period.
    public var excluded: [String] = []
    /// Deleted visits compacted: their rows, conflict entries and quarantined payloads removed.
    public var tombstones = 0
    /// Conflict entries and quarantined payloads of erased visits removed (their values were already blanked).
    public var erasedEntries = 0
    /// Whether nothing was written (`--dry-run`).
    public var dryRun = false

    /// Nothing compacted yet.
    public init() {}

    /// The registers a compacted tombstone keeps: enough that a state pushed from behind the horizon
    /// merges exactly as it would have against the whole tombstone (still deleted, still erased).
    public static let keptFields: Set<String> = [RecordState.deletedField, "erased"]

    /// A deleted visit's state reduced to the registers it keeps and its version vector.
    public static func reduced(_ state: RecordState) -> RecordState {
        RecordState(id: state.id, sortedFields: state.fields.filter { keptFields.contains($0.name) }, version: state.version)
    }
}
