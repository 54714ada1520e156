import TextSafety
import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

/// A record of a kind (a training session…) as a person types it, field by field: the command line's options
/// and the app's form are read by this one function.
public enum RecordForm {
    /// The values of `texts` (field name → text), each read by its type in `kind`; a date and time is
    /// `dd/mm/yyyy HH:mm` in Vietnam time or ISO 8601. An empty text clears the field.
    /// - Throws: `InputError` naming the field.
    public static func values(_ kind: RecordKind, _ texts: [String: String]) throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        for (name, text) in texts.sorted(by: { $0.key < $1.key }) {
            if kind.field(name)?.type == .datetime, !text.trimmingWhitespace.isEmpty {
                values[name] = .text(ISODate.format(try ISODate.parse(text)))
            } else {
                values[name] = try kind.value(text, for: name)
            }
        }
        return values
    }
}
