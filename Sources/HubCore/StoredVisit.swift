import FieldModel
import SyncCore

/// A visit as the hub stores it: the visit, its per-field sync state and the change number it was last written at.
public struct StoredVisit: Sendable {
    /// The visit.
    public var visit: Visit
    /// Its per-field registers and version vector.
    public var state: RecordState
    /// The hub change number of its last write (§7).
    public var hubSeq: UInt64

    public init(visit: Visit, state: RecordState, hubSeq: UInt64) {
        (self.visit, self.state, self.hubSeq) = (visit, state, hubSeq)
    }
}
