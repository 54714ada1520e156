import SyncCore
import TextSafety

/// What the hub keeps of a refused record: its JSON, written from a copy whose every text is first cut to a few
/// KiB, then cut to `HubLimits.quarantinePayloadBytes` — a record that stands for megabytes (a compact form's
/// strings referenced many times) is never written out whole, under the write lock or anywhere.
package enum QuarantinePayload {
    /// The longest text of one register kept before the whole is cut.
    static let registerBytes = 2_048

    /// The payload to keep, and the size of the record's values as received (bytes of text).
    package static func of(_ record: RecordState) -> (payload: String, size: Int) {
        var size = 0
        var trimmed = record
        for field in record.fields {
            size += field.register.value.bytes
            if case .text(let text) = field.register.value, text.utf8.count > registerBytes {
                var register = field.register
                register.value = .text(String(decoding: text.utf8.prefix(registerBytes), as: UTF8.self))
                trimmed[field.name] = register
            }
        }
        let json = Hub.json(trimmed)
        return (SafeText.truncated(json, toBytes: HubLimits.quarantinePayloadBytes).text, max(size, json.utf8.count))
    }
}

extension FieldValue {
    /// The bytes of text a value holds (8 for a number or a flag).
    fileprivate var bytes: Int {
        switch self {
        case .text(let text): text.utf8.count
        case .object(let members): members.reduce(0) { $0 + $1.key.utf8.count + $1.value.bytes }
        default: 8
        }
    }
}
