/// The one sanitiser for every sink that shows text FieldSync did not write itself: terminal tables
/// and messages (no escape sequences, no bidi tricks), quoted input in errors (bounded), and
/// spreadsheet cells (no formulas).
public enum SafeText {
    /// Whether a scalar may reorder or hide text on screen: bidi embeddings, overrides and isolates,
    /// marks, zero-width characters and the byte-order mark (every Unicode "format" character).
    public static func isInvisibleFormatting(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .format
    }

    /// Whether a scalar is a C0 or C1 control or DEL.
    public static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }

    /// Text safe to print on a terminal: controls (ESC among them) and invisible formatting shown as
    /// `\u{1B}`-style escapes; newlines and tabs kept only when `keepLineBreaks`.
    public static func terminal(_ text: String, keepLineBreaks: Bool = false) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepLineBreaks: keepLineBreaks) }) else { return text }
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if needsEscape(scalar, keepLineBreaks: keepLineBreaks) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    private static func needsEscape(_ scalar: Unicode.Scalar, keepLineBreaks: Bool) -> Bool {
        if keepLineBreaks && (scalar == "\n" || scalar == "\t") { return false }
        return isControl(scalar) || isInvisibleFormatting(scalar)
    }

    /// Input quoted in a message: «…», made terminal-safe and cut to `limit` characters, so a hostile
    /// value can neither flood a log or report nor drive the terminal that shows it.
    public static func quote(_ text: some StringProtocol, limit: Int = 60) -> String {
        let value = String(text)
        let cut = value.count > limit ? String(value.prefix(limit)) + "… (\(value.utf8.count) bytes)" : value
        return "«" + terminal(cut) + "»"
    }

    /// Characters a spreadsheet reads as the start of a formula, ASCII and fullwidth forms.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}"]

    /// A spreadsheet cell that cannot run as a formula: a value whose first visible character starts a
    /// formula (after any byte-order marks, spaces or invisible formatting) gets a `'` in front. Plain
    /// numbers such as `-3` are left alone.
    public static func spreadsheetCell(_ cell: String) -> String {
        let visible = cell.unicodeScalars.drop { $0 == " " || isInvisibleFormatting($0) }
        guard let first = visible.first, formulaStarts.contains(Character(first)) else { return cell }
        if Double(cell) != nil { return cell }
        return "'" + cell
    }

    /// JSON text with every control and invisible formatting character inside its strings written as a
    /// `\\uXXXX` escape (the same document to a JSON reader, harmless when someone `cat`s it).
    public static func jsonEscapingInvisible(_ json: String) -> String {
        guard json.unicodeScalars.contains(where: { isInvisibleFormatting($0) || (isControl($0) && $0.value >= 0x7F) }) else {
            return json
        }
        var out = String.UnicodeScalarView()
        for scalar in json.unicodeScalars {
            guard isInvisibleFormatting(scalar) || (isControl(scalar) && scalar.value >= 0x7F) else {
                out.append(scalar)
                continue
            }
            for unit in String(scalar).utf16 {
                let hex = String(unit, radix: 16)
                out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
            }
        }
        return String(out)
    }

    /// A value cut to `limit` UTF-8 bytes on a character boundary, and whether it was cut.
    public static func truncated(_ text: String, toBytes limit: Int) -> (text: String, cut: Bool) {
        guard text.utf8.count > limit else { return (text, false) }
        var bytes = 0
        var end = text.startIndex
        for index in text.indices {
            let next = text[index].utf8.count
            if bytes + next > limit { break }
            bytes += next
            end = text.index(after: index)
        }
        return (String(text[..<end]), true)
    }
}
