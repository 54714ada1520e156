import FieldModel
import SyncCore

/// What a coordinator decides about a conflict entry.
public enum ConflictChoice: Sendable, Equatable {
    /// Keep what the merge kept: nothing is written, every replica already converges on it.
    case keep
    /// Take the losing value of every field (for an edit-vs-delete: restore the visit with the edit).
    case take
    /// Set new values for fields of the entry (by field name).
    case set([String: FieldValue])

    /// `keep`, `take` or `set`.
    public var name: String {
        switch self {
        case .keep: "keep"
        case .take: "take"
        case .set: "set"
        }
    }
}

/// How and by whom a conflict entry was resolved.
public struct ConflictResolution: Codable, Sendable, Equatable {
    /// `keep`, `take` or `set`.
    public var choice: String
    /// The values the hub wrote (none for `keep`, or when the visit already held them).
    public var values: [String: FieldValue]?
    /// Who resolved it (a coordinator's name, or the operator's `--by`).
    public var by: String
    /// The coordinator device that resolved it over HTTP (nil from the command line).
    public var device: String?
    /// When (ISO 8601, UTC).
    public var at: String
    /// The hub change number of the write, when there was one: laptops pull it like any change.
    public var hubSeq: UInt64?

    /// The resolution with an erased citizen's values blanked (Protocol/README.md §4.3).
    package func erasingPersonal() -> ConflictResolution {
        var blanked = self
        blanked.values = values.map { values in Dictionary(uniqueKeysWithValues: values.map { ($0.key, Conflict.erase($0.value, $0.key)) }) }
        return blanked
    }

    package init(choice: String, values: [String: FieldValue]?, by: String, device: String?, at: String, hubSeq: UInt64?) {
        self.choice = choice
        self.values = values
        self.by = by
        self.device = device
        self.at = at
        self.hubSeq = hubSeq
    }
}

/// Which conflict entries to list.
public enum ConflictStatus: String, Sendable, CaseIterable {
    case open, resolved, all
}
