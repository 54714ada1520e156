import HubStore
import TextSafety

extension ReportDocument {
    /// Aligned plain text for a terminal (Vietnamese NFC text is one column per character). Every
    /// value is passed through `SafeText.terminal`: stored text can never drive the terminal.
    public func table() -> String {
        let safe = { (text: String) in SafeText.terminal(text) }
        let summary = self.summary.map { (safe($0.0), safe($0.1)) }
        var out = "\(safe(title))\n\(safe(subtitle))\n"
        if !summary.isEmpty {
            let width = summary.map(\.0.count).max() ?? 0
            out += "\n" + summary.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 + "\n" }.joined()
        }
        for var section in sections {
            section.rows = section.rows.map { $0.map(safe) }
            out += "\n\(safe(section.title).uppercased()) (\(section.rows.count))\n"
            if let note = section.note { out += safe(note) + "\n" }
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
            out += line(section.columns.map(\.title), marker: "  ")
            for (n, row) in section.rows.enumerated() { out += line(row, marker: section.flagged.contains(n) ? "! " : "  ") }
        }
        return out
    }

    /// CSV of every section (a title row, then header and rows), UTF-8 with a BOM for Excel.
    public func csv() -> String {
        var csv = CSVWriter()
        for (n, section) in sections.enumerated() {
            if n > 0 { csv.blankLine() }
            if sections.count > 1 { csv.row([section.title]) }
            csv.row(section.columns.map(\.title))
            for row in section.rows { csv.row(row) }
        }
        return csv.output
    }
}
