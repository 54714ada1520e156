/// What a replica that took a new identity after a restore writes again (Protocol/README.md §1):
/// every write of its old identity the hub has not acknowledged, as a new write, on a state whose
/// vector claims no more of the old identity than the hub acknowledged. The old identity's later
/// writes may reuse seqs the hub holds with other content; once cut back, the hub sees its own copy of
/// those writes as concurrent with the re-issued ones, so nothing is lost without a conflict entry.
public struct Reissue: Sendable, Equatable {
    /// The state to write on: the record's registers, with the vector cut back.
    public let base: RecordState
    /// The fields to write again, with their current values (whole groups).
    public let changes: [String: FieldValue]

    /// Plans the re-issue of one record.
    /// - Parameters:
    ///   - retired: the identity given up.
    ///   - acknowledged: the retired identity's highest seq the hub acknowledged.
    ///   - groups: fields written as one unit.
    public init(_ state: RecordState, retired: ReplicaID, acknowledged: UInt64, groups: [[String]] = []) {
        var changes: [String: FieldValue] = [:]
        for field in state.fields where field.register.stamp.replica == retired {
            // An unknown seq cannot be shown to be acknowledged: written again (harmless if it was).
            if field.register.seq == 0 || field.register.seq > acknowledged { changes[field.name] = field.register.value }
        }
        for group in groups where group.contains(where: { changes[$0] != nil }) {
            for name in group { if let register = state[name] { changes[name] = register.value } }
        }
        var base = state
        base.version[retired] = min(state.version[retired], acknowledged)
        self.base = base
        self.changes = changes
    }
}
