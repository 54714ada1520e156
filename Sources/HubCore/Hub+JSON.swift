import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// JSON text of values, written once for every storage engine.
extension Hub {
    /// Texts as a JSON array (for `json_each(?)`), written without an encoder: this runs for every push and pull page.
    package static func jsonArray(_ texts: [String]) -> String {
        var out = JSONWriter(capacity: 40 * texts.count + 2)
        out.array(texts) { $0.string($1) }
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// A value as sorted-key JSON text.
    package static func json<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Losing this error is safe: encoding these Encodable value types cannot fail; "{}" is never written in practice.
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
