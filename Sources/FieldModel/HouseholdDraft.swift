import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

/// A household as a person types it (a line of the commune's list, or a volunteer's `household add`), before it is
/// checked by the household kind (Protocol/kinds/household.json): texts cleaned to NFC, the phone normalised.
public struct HouseholdDraft: Sendable, Equatable {
    public var village: String
    public var code: String?
    public var houseNumber: String?
    public var street: String?
    public var head: String
    public var phone: String?
    /// Adults (18 and over) as typed; empty counts none.
    public var adults: String?
    public var note: String?

    public init(village: String, code: String? = nil, houseNumber: String? = nil, street: String? = nil, head: String,
                phone: String? = nil, adults: String? = nil, note: String? = nil) {
        (self.village, self.code, self.houseNumber, self.street, self.head) = (village, code, houseNumber, street, head)
        (self.phone, self.adults, self.note) = (phone, adults, note)
    }

    /// What identifies it in its commune (`HouseholdKey`).
    public var key: String { HouseholdKey.make(code: code, village: village, houseNumber: houseNumber, street: street, head: head) }

    /// The values it gives the household kind's fields (a blank part gives none), its key included.
    /// - Throws: `InputError` naming the first part the kind refuses.
    public func values(_ kind: RecordKind) throws(InputError) -> [String: FieldValue] {
        var values: [String: FieldValue] = ["key": .text(key)]
        let parts: [(String, String?)] = [("village", village), ("code", code), ("houseNumber", houseNumber), ("street", street),
                                          ("head", head), ("phone", phone), ("adults", adults), ("note", note)]
        for (name, text) in parts {
            guard var text = text?.trimmingWhitespace, !text.isEmpty else { continue }
            if name == "phone" { text = try PhoneNumber(validating: text).digits }
            text = try VietnameseText.clean(text, field: name, limit: kind.field(name)?.maxLength ?? 2_000, allowNewlines: name == "note")
            values[name] = try kind.value(text, for: name)
        }
        if values["adults"] == nil { values["adults"] = .int(0) }
        return values
    }
}
