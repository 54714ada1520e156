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
    ///   - held: the retired identity's writes the hub holds exactly as this store has them (§1.1), when
    ///     the hub said: those are not written again (their copies at the hub may since have been overwritten
    ///     by writes that saw them), and the vector may claim up to the highest of them. Nil: everything above
    ///     `acknowledged` is written again.
    ///   - groups: fields written as one unit.
    public init(_ state: RecordState, retired: ReplicaID, acknowledged: UInt64, held: Set<UInt64>? = nil, groups: [[String]] = []) {
        var changes: [String: FieldValue] = [:]
        for field in state.fields where field.register.stamp.replica == retired {
            let seq = field.register.seq
            // An unknown seq cannot be shown to be acknowledged: written again (harmless if it was).
            if seq == 0 || (seq > acknowledged && held?.contains(seq) != true) { changes[field.name] = field.register.value }
        }
        for group in groups where group.contains(where: { changes[$0] != nil }) {
            for name in group { if let register = state[name] { changes[name] = register.value } }
        }
        // Held writes are all older than anything the restored store wrote again (they are the copy's own), so
        // claiming up to the highest of them never claims a write of the lost life.
        let claimed = max(acknowledged, held?.max() ?? 0)
        var base = state
        base.version[retired] = min(state.version[retired], claimed)
        self.base = base
        self.changes = changes
    }
}
