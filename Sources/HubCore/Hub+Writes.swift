import FieldModel
import Foundation
import SyncCore

// A write by the hub itself, decided once for every storage engine.
extension Hub {
    /// A write by the hub's own replica (a conflict resolved, a citizen erased, a duplicate deleted): a fresh stamp
    /// past everything the record holds, the visit it makes, checked by the visit rules when `validating` (a
    /// coordinator's chosen value); an erasure or a deletion is never refused for what the visit held before.
    /// - Throws: `HubError.invalidRequest` when the visit would break a rule; nothing is written then.
    package static func hubWrite(_ changes: [String: FieldValue], to current: RecordState, recordID: String, hub: inout ReplicaState,
                                 now: Date, validating: Bool, catalogue: CommuneCatalogue) throws -> (visit: Visit, state: RecordState) {
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        hub.observe(current, now: millis)
        let state = hub.write(changes, to: current, recordID: recordID, now: millis)
        do {
            let visit = try Visit(state: state, catalogue: catalogue)
            if validating && !visit.deleted { try visit.validate(now: now) }
            return (visit, state)
        } catch {
            throw HubError.invalidRequest("the visit would break a rule: \(error); nothing was written")
        }
    }
}
