import FieldModel
import SyncCore
import SyncProtocol

/// Who may erase a visit's citizen data through a push (Protocol/README.md §4.3): the laptop whose volunteer logged
/// it — the replica that made the visit's first write, under any replica id that laptop has had at the hub,
/// re-enrolments included — and nobody else; coordinators and the operator erase through the hub (console,
/// `subject erase`). Anyone else's erasure is refused per record, with a reason the volunteer reads.
package enum ErasureRights {
    /// The replica that logged a visit: the writer of its oldest register (the first write sets every field, and
    /// a later write only ever stamps later).
    package static func author(of state: RecordState) -> ReplicaID? {
        state.fields.min { $0.register.stamp < $1.register.stamp }?.register.stamp.replica
    }

    /// The records of a push that erase a citizen the hub has not erased yet, each with the replica that logged it
    /// (from the hub's state, or from the pushed one for a visit the hub does not hold).
    package static func erasing(_ request: PushRequest, stored: [String: (visit: Visit, state: RecordState)]) -> [String: ReplicaID] {
        var found: [String: ReplicaID] = [:]
        for record in request.records where record[VisitField.erased.rawValue]?.value == .bool(true) {
            let held = stored[record.id]?.state
            guard held?[VisitField.erased.rawValue]?.value != .bool(true), let author = author(of: held ?? record) else { continue }
            found[record.id] = author
        }
        return found
    }

    /// Why `device` may not erase these records (by record id), given which device each logging replica belongs to.
    /// The pushing replica is the device's (the copied-store rule refuses it otherwise), even before the hub noted it.
    package static func refusals(_ erasing: [String: ReplicaID], owners: [ReplicaID: String], device: Device, pushing: ReplicaID,
                                 stored: [String: (visit: Visit, state: RecordState)]) -> [String: String] {
        var refused: [String: String] = [:]
        for (record, author) in erasing where author != pushing && owners[author] != device.id {
            let who = stored[record].map { "\($0.visit.volunteer)" } ?? "another volunteer"
            refused[record] = "only the laptop of the volunteer who logged this visit (\(who)) or a coordinator can erase its citizen's "
                + "data: ask them, or your coordinator (the console's visit page, or `fieldsync-server subject erase`)"
        }
        return refused
    }
}
