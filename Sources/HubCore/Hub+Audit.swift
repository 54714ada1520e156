import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// The audit chain's head, written once for every storage engine.
extension Hub {
    /// The head `<seq>:<hash>` as stored, nil when the log is empty.
    package static func auditHead(_ text: String) -> (seq: Int64, hash: String)? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let seq = Int64(parts[0]) else { return nil }
        return (seq, String(parts[1]))
    }
}
