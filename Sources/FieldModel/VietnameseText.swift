import Foundation

/// Vietnamese text handling: NFC storage and a fold for diacritics-insensitive search.
public enum VietnameseText {
    /// The canonical composed form (NFC) names are stored in.
    public static func nfc(_ text: String) -> String {
        text.precomposedStringWithCanonicalMapping
    }

    /// The search key of a text: no tone or vowel marks, đ/Đ as d, lower case, single spaces.
    ///
    /// "Nguyễn Văn A", "NGUYEN VAN A" and its NFD form all fold to "nguyen van a"; "Hoà" and "Hòa"
    /// (the two tone placements) both fold to "hoa". Unicode decomposition alone leaves đ as is.
    public static func fold(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var pendingSpace = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.properties.generalCategory == .nonspacingMark { continue }
            if scalar.properties.isWhitespace {
                pendingSpace = !scalars.isEmpty
                continue
            }
            if pendingSpace {
                scalars.append(" ")
                pendingSpace = false
            }
            switch scalar {
            case "đ", "Đ": scalars.append("d")
            default: scalars.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(scalars)
    }

    /// Validates free text for a field: NFC, trimmed, no control characters but newlines, bounded.
    /// - Throws: `InputError.emptyText`, `.textTooLong` or `.controlCharacters`.
    public static func clean(_ text: String, field: String, limit: Int, allowEmpty: Bool = false,
                             allowNewlines: Bool = false) throws(InputError) -> String {
        let value = nfc(text.trimmingCharacters(in: .whitespacesAndNewlines))
        if value.isEmpty && !allowEmpty { throw .emptyText(field: field) }
        if value.count > limit { throw .textTooLong(field: field, limit: limit) }
        let bad = value.unicodeScalars.contains {
            $0.properties.generalCategory == .control && !(allowNewlines && ($0 == "\n" || $0 == "\t"))
        }
        if bad { throw .controlCharacters(field: field) }
        return value
    }
}
