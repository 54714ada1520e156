#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import TextSafety

/// Vietnamese text handling: NFC storage and a fold for diacritics-insensitive search.
public enum VietnameseText {
    /// The canonical composed form (NFC) names are stored in.
    public static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.composedNFC
    }

    /// The search key of a text: no tone or vowel marks, đ/Đ as d, lower case, single spaces.
    ///
    /// "Nguyễn Văn A", "NGUYEN VAN A" and its NFD form all fold to "nguyen van a"; "Hoà" and "Hòa"
    /// (the two tone placements) both fold to "hoa". Unicode decomposition alone leaves đ as is.
    public static func fold(_ text: String) -> String {
        // Written as UTF-8 bytes; ASCII and the table's letters answer without Unicode property look-ups.
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var pendingSpace = false
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let base = scalar.isASCII ? nil : foldTable[value]
            let isSpace = scalar.isASCII ? value == 0x20 || (0x09...0x0D).contains(value) : base == nil && scalar.properties.isWhitespace
            if isSpace {
                pendingSpace = !out.isEmpty
                continue
            }
            if pendingSpace {
                out.append(0x20)
                pendingSpace = false
            }
            if scalar.isASCII {
                out.append((0x41...0x5A).contains(value) ? UInt8(value + 0x20) : UInt8(value))
            } else if let base {
                out.append(contentsOf: base.utf8)
            } else if scalar.properties.generalCategory != .nonspacingMark {
                out.append(contentsOf: scalar.properties.lowercaseMapping.utf8)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Validates free text for a field: NFC, trimmed, no control characters but newlines, no invisible
    /// formatting, bounded.
    /// - Throws: `InputError.emptyText`, `.textTooLong`, `.controlCharacters` or `.invisibleFormatting`.
    public static func clean(_ text: String, field: String, limit: Int, allowEmpty: Bool = false,
                             allowNewlines: Bool = false) throws(InputError) -> String {
        let value = nfc(trimmed(text)).replacing("\u{00D0}", with: "\u{0110}")
            .replacing("\u{00F0}", with: "\u{0111}")
        if value.isEmpty && !allowEmpty { throw .emptyText(field: field) }
        if value.count > limit { throw .textTooLong(field: field, limit: limit) }
        try checkScalars(value, field: field, allowNewlines: allowNewlines)
        return value
    }

    /// Checks replicated text without changing it (a receiver must never rewrite a value it did not
    /// write): already trimmed, NFC, no control characters but newlines, bounded.
    /// - Throws: `InputError.emptyText`, `.textTooLong`, `.controlCharacters` or `.notNFC`.
    public static func checked(_ text: String, field: String, limit: Int, allowEmpty: Bool = false,
                               allowNewlines: Bool = false) throws(InputError) -> String {
        guard isNFC(text) else { throw .notNFC(field: field) }
        let scalars = text.unicodeScalars
        guard let first = scalars.first, let last = scalars.last else {
            if allowEmpty { return text }
            throw .emptyText(field: field)
        }
        if first.properties.isWhitespace || last.properties.isWhitespace { throw .controlCharacters(field: field) }
        if text.utf8.count > limit, text.count > limit { throw .textTooLong(field: field, limit: limit) }
        try checkScalars(text, field: field, allowNewlines: allowNewlines)
        return text
    }

    /// Refuses control characters (but newlines and tabs where allowed) and invisible formatting
    /// (bidi overrides, zero-width characters), which have no business in a name or a note.
    static func checkScalars(_ text: String, field: String, allowNewlines: Bool) throws(InputError) {
        for scalar in text.unicodeScalars where scalar.value < 0x20 || scalar.value >= 0x7F {
            if SafeText.isControl(scalar) {
                if !(allowNewlines && (scalar == "\n" || scalar == "\t")) { throw .controlCharacters(field: field) }
            } else if SafeText.isInvisibleFormatting(scalar) {
                throw .invisibleFormatting(field: field)
            }
        }
    }

    /// Whether a text is in NFC, with a fast path for ASCII and precomposed Latin (all Vietnamese letters).
    public static func isNFC(_ text: String) -> Bool {
        let fast = text.unicodeScalars.allSatisfy { s in
            s.value < 0x300 || (0x1E00...0x1EFF).contains(s.value)
        }
        return fast || text.composedNFC.utf8.elementsEqual(text.utf8)
    }

    /// The text without leading and trailing white space.
    static func trimmed(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
