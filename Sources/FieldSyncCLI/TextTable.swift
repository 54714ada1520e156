import TextSafety

/// A plain aligned text table for the terminal (Vietnamese NFC text is one column per character),
/// narrowed to the terminal's width unless asked for in full.
struct TextTable {
    private var header: [String]
    private var rows: [[String]] = []
    /// Columns to leave out first when the table is too wide (indexes, first dropped first).
    private let dropOrder: [Int]
    /// The column whose cells are cut (with …) when dropping is not enough.
    private let cutColumn: Int?

    /// A table with these column titles.
    init(_ header: [String], dropOrder: [Int] = [], cutColumn: Int? = nil) {
        self.header = header
        self.dropOrder = dropOrder
        self.cutColumn = cutColumn
    }

    /// Adds a row (as many cells as columns).
    mutating func add(_ row: [String]) { rows.append(row.map { SafeText.terminal($0) }) }

    /// The table as lines, columns padded to the widest cell, trailing spaces trimmed; at most `width`
    /// characters wide (nil: as wide as it needs), with the names of the columns it left out.
    func render(width: Int? = nil) -> (text: String, hidden: [String]) {
        var keep = Array(header.indices)
        func widths(_ columns: [Int], _ table: [[String]]) -> [Int] {
            columns.map { c in table.map { $0[c].count }.max() ?? 0 }
        }
        var all = [header] + rows
        func total(_ columns: [Int]) -> Int { widths(columns, all).reduce(0, +) + 2 * max(0, columns.count - 1) }
        var hidden: [String] = []
        if let width {
            for column in dropOrder where total(keep) > width {
                keep.removeAll { $0 == column }
                hidden.append(header[column])
            }
            if let cut = cutColumn, keep.contains(cut), total(keep) > width {
                let room = max(8, (all.map { $0[cut].count }.max() ?? 0) - (total(keep) - width))
                for r in all.indices where all[r][cut].count > room { all[r][cut] = String(all[r][cut].prefix(room - 1)) + "…" }
            }
        }
        let columnWidths = widths(keep, all)
        var out = ""
        for row in all {
            var line = ""
            for (n, column) in keep.enumerated() {
                line += row[column] + String(repeating: " ", count: columnWidths[n] - row[column].count + 2)
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return (out, hidden)
    }
}
