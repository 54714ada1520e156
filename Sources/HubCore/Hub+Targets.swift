import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Targets, written once for every storage engine.
extension Hub {
    /// Refuses targets for a commune outside the scope.
    package static func checkTargets(_ targets: Targets, scope: Scope) throws {
        if let outside = targets.values.keys.sorted().first(where: { !scope.covers(commune: $0) }) {
            throw HubError.outOfScope("commune \(outside) is outside this coordinator's area: its target cannot be set here")
        }
    }
}
