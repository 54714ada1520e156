import Foundation

/// The rows of a spreadsheet saved as text (CSV), as people and programs write it: `,`, `;` or tab between cells
/// (whichever the first line uses most), cells quoted with `"` holding separators, line breaks and doubled quotes,
/// a byte-order mark, CR LF line ends. Each row keeps the number of the line it starts on, for error messages.
public enum SheetRows {
    /// The rows of a text, empty rows left out.
    public static func csv(_ text: String) -> [(line: Int, cells: [String])] {
        var text = Substring(text)
        if text.first == "\u{FEFF}" { text = text.dropFirst() }
        let firstLine = text.prefix { $0 != "\n" && $0 != "\r\n" }
        let separator: Character = [",", ";", "\t"].max { a, b in firstLine.filter { $0 == a }.count < firstLine.filter { $0 == b }.count } ?? ","
        var rows: [(line: Int, cells: [String])] = []
        var cells: [String] = [], cell = "", quoted = false, line = 1, rowLine = 1, afterQuote = false
        func endRow() {
            cells.append(cell.trimmingCharacters(in: .whitespaces))
            if cells.contains(where: { !$0.isEmpty }) { rows.append((rowLine, cells)) }
            cells = []
            cell = ""
        }
        for character in text {
            if quoted {
                if character == "\"" { quoted = false; afterQuote = true; continue }
                if character == "\n" || character == "\r\n" { line += 1 }
                cell.append(character)
                continue
            }
            switch character {
            case "\"":
                if afterQuote { cell.append("\"") } else if cell.trimmingCharacters(in: .whitespaces).isEmpty { cell = "" }
                quoted = true
            case separator:
                cells.append(cell.trimmingCharacters(in: .whitespaces))
                cell = ""
            case "\n", "\r\n", "\r":
                endRow()
                line += 1
                rowLine = line
            default:
                cell.append(character)
            }
            afterQuote = false
        }
        if !cell.isEmpty || !cells.isEmpty { endRow() }
        return rows
    }
}
