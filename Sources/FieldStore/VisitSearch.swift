import FieldModel

/// What `list --search` and the app's search look for: words of the name or the note without diacritics, and digits of
/// a phone or a CCCD typed on this laptop (`+84 97…` found as `097…`). One rule for the store's query and for visits
/// already opened.
public struct VisitSearch: Sendable, Equatable {
    /// The text, folded.
    public let text: String
    /// The digits, when the text is a number of 4 digits or more.
    public let digits: String?

    /// The search for `typed`; nil when nothing is left to look for.
    public init?(_ typed: String) {
        let text = VietnameseText.fold(typed)
        guard !text.isEmpty else { return nil }
        var digits = text.filter { $0.isASCII && $0.isNumber }
        let numeric = digits.count >= 4 && text.allSatisfy { ($0.isASCII && $0.isNumber) || " +.-()".contains($0) }
        if numeric, text.hasPrefix("+84") || (digits.hasPrefix("84") && digits.count >= 11) { digits = "0" + digits.dropFirst(2) }
        self.text = text
        self.digits = numeric ? digits : nil
    }

    /// Whether an opened visit matches.
    public func matches(_ stored: StoredVisit) -> Bool {
        let visit = stored.visit
        if VietnameseText.fold(visit.citizenName).contains(text) || VietnameseText.fold(visit.note).contains(text) { return true }
        guard let digits else { return false }
        return visit.phone?.contains(digits) == true || stored.rawCitizenID?.contains(digits) == true
    }
}
