import FieldModel
import SyncCore

/// A visit as this store holds it, with its sync metadata.
public struct StoredVisit: Sendable, Equatable {
    /// The visit's fields.
    public var visit: Visit
    /// The raw citizen ID, present only on the laptop that typed it.
    public var rawCitizenID: String?
    /// The replicated state: registers with their stamps, and the version vector.
    public var state: RecordState

    /// The version vector.
    public var version: VersionVector { state.version }

    /// The stamp of one field's latest write.
    public func stamp(of field: VisitField) -> Stamp? { state[field.rawValue]?.stamp }
}
