import HubCore
import HubSQLite
import TextSafety

extension ReportDocument {
    /// Aligned plain text for a terminal (Vietnamese NFC text is one column per character). Every
    /// value is passed through `SafeText.terminal`: stored text can never drive the terminal. A table
    /// wider than `width` is laid out as one block per row ("column  value" lines), so nothing wraps
    /// and nothing is left out; nil keeps every table in columns.
    public func table(width: Int? = SafeText.terminalWidth) -> String {
        let safe = { (text: String) in SafeText.terminal(text) }
        let summary = self.summary.map { (safe($0.0), safe($0.1)) }
        var out = "\(safe(title))\n" + Self.wrap(safe(subtitle), width: width)
        if !summary.isEmpty {
            let width = summary.map(\.0.count).max() ?? 0
            out += "\n" + summary.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 + "\n" }.joined()
        }
        for var section in sections {
            section.rows = section.rows.map { $0.map(safe) }
            out += "\n\(safe(section.title).uppercased()) (\(section.count))\n"
            if let note = section.note { out += Self.wrap(safe(note), width: width) }
            guard !section.rows.isEmpty else { continue }
            let widths = section.columns.indices.map { c in
                ([section.columns[c].title] + section.rows.map { c < $0.count ? $0[c] : "" }).map(\.count).max() ?? 0
            }
            func line(_ cells: [String], marker: String) -> String {
                var text = marker
                for (c, column) in section.columns.enumerated() {
                    let cell = c < cells.count ? cells[c] : ""
                    let pad = String(repeating: " ", count: widths[c] - cell.count)
                    text += (column.numeric ? pad + cell : cell + pad) + "  "
                }
                while text.last == " " { text.removeLast() }
                return text + "\n"
            }
            let total = widths.reduce(2, +) + 2 * max(0, widths.count - 1)
            if let width, total > width {
                let label = section.columns.map(\.title.count).max() ?? 0
                for (n, row) in section.rows.enumerated() {
                    out += (section.flagged.contains(n) ? "! " : "  ") + "\(n + 1).\n"
                    for (c, column) in section.columns.enumerated() where c < row.count && !row[c].isEmpty {
                        out += "    " + column.title + String(repeating: " ", count: label - column.title.count) + "  " + row[c] + "\n"
                    }
                }
                continue
            }
            out += line(section.columns.map(\.title), marker: "  ")
            for (n, row) in section.rows.enumerated() { out += line(row, marker: section.flagged.contains(n) ? "! " : "  ") }
        }
        return out
    }

    /// Prose cut into lines of at most `width` characters at spaces (nil: one line).
    static func wrap(_ text: String, width: Int?) -> String {
        guard let width, text.count > width else { return text + "\n" }
        var out = "", line = ""
        for word in text.split(separator: " ") {
            if !line.isEmpty && line.count + 1 + word.count > width {
                out += line + "\n"
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        return out + line + "\n"
    }

    /// CSV of every section (a title row, then header and rows), UTF-8 with a BOM for Excel.
    /// One table as CSV: the main section, or the one named (`conflicts`, `quarantined-records`… as
    /// `tableNames` lists), so a spreadsheet gets one table of one width per file.
    /// - Throws: `HubError.invalidRequest` naming the tables when `table` is not one of them.
    public func csv(table: String? = nil) throws(HubError) -> String {
        let index: Int
        if let table {
            guard let found = tableNames.firstIndex(of: table.lowercased()) else {
                throw .invalidRequest("this report's tables are " + tableNames.joined(separator: ", ") + "; not \(SafeText.quote(table))")
            }
            index = found
        } else {
            index = min(mainSection, sections.count - 1)
        }
        var csv = CSVWriter()
        guard sections.indices.contains(index) else { return csv.output }
        csv.row(sections[index].columns.map(\.title))
        for row in sections[index].rows { csv.row(row) }
        return csv.output
    }

    /// The sections' names for `csv(table:)`: titles in lower case, words joined by `-`.
    public var tableNames: [String] {
        sections.map { $0.title.lowercased().split(separator: " ").joined(separator: "-") }
    }
}
