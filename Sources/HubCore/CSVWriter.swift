import Foundation
import TextSafety

/// CSV that Excel and LibreOffice open with Vietnamese text intact: UTF-8 with a byte-order mark,
/// CRLF line ends, quoting where needed, and formula-looking cells defused.
public struct CSVWriter {
    private(set) var text = "\u{FEFF}"
    /// Between cells: `,`, or `;` for spreadsheets set up for Vietnamese (where `,` is the decimal mark).
    let separator: Character

    /// A writer, with a header row when given.
    public init(header: [String]? = nil, separator: Character = ",") {
        self.separator = separator
        if let header { row(header) }
    }

    /// Appends one row.
    public mutating func row(_ cells: [String]) {
        text += cells.map { Self.escape($0, separator: separator) }.joined(separator: String(separator)) + "\r\n"
    }

    /// Appends an empty line (between sections).
    public mutating func blankLine() { text += "\r\n" }

    /// The document.
    public var output: String { text }

    /// What was written since the last call (the byte-order mark and header first), for streaming.
    public mutating func take() -> String {
        defer { text = "" }
        return text
    }

    /// Quotes a cell when needed; a cell a spreadsheet would run as a formula gets a ' in front, and
    /// control or invisible formatting characters are written as visible escapes.
    static func escape(_ cell: String, separator: Character = ",") -> String {
        let cell = SafeText.terminal(SafeText.spreadsheetCell(cell), keepLineBreaks: true)
        guard cell.contains(where: { $0 == separator || $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return cell }
        return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
