import FieldModel
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

    /// Nothing compacted yet, below `horizon`.
    public init(_ horizon: TombstoneHorizon, dryRun: Bool) {
        (self.horizon, heldBy, excluded, self.dryRun) = (horizon.horizon, horizon.heldBy, horizon.excluded, dryRun)
    }

    /// The registers a compacted tombstone keeps: enough that a state pushed from behind the horizon
    /// merges exactly as it would have against the whole tombstone (still deleted, still erased).
    public static let keptFields: Set<String> = [RecordState.deletedField, "erased"]

    /// A deleted visit's state reduced to the registers it keeps and its version vector.
    public static func reduced(_ state: RecordState) -> RecordState {
        RecordState(id: state.id, sortedFields: state.fields.filter { keptFields.contains($0.name) }, version: state.version)
    }

    /// A reduced tombstone as stored: the visits' metadata encoding (vector and writes); both kept
    /// registers only ever hold `true`, so no value is stored.
    public static func encode(_ reduced: RecordState) -> [UInt8] {
        MetadataCodec.encode(version: reduced.version, writes: VisitField.writes(of: reduced))
    }

    /// Reads a reduced tombstone stored by `encode`.
    public static func decode(_ bytes: [UInt8], id: String) throws -> RecordState {
        let (version, writes) = try MetadataCodec.decode(bytes, fieldCount: VisitField.allCases.count, added: VisitField.addedLater)
        let fields = VisitField.byName.compactMap { field in
            writes[field.index].flatMap { write in
                keptFields.contains(field.rawValue)
                    ? RecordState.Field(name: field.rawValue, register: Register(value: .bool(true), stamp: write.stamp, seq: write.seq)) : nil
            }
        }
        return RecordState(id: id, sortedFields: fields, version: version)
    }
}
