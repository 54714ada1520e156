import TextSafety

/// A plain aligned text table for the terminal (Vietnamese NFC text is one column per character).
struct TextTable {
    private let header: [String]
    private var rows: [[String]] = []

    /// A table with these column titles.
    init(_ header: [String]) { self.header = header }

    /// Adds a row (as many cells as columns).
    mutating func add(_ row: [String]) { rows.append(row.map { SafeText.terminal($0) }) }

    /// The table as lines, columns padded to the widest cell, trailing spaces trimmed.
    func render() -> String {
        let all = [header] + rows
        let widths = header.indices.map { column in all.map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in all {
            var line = ""
            for (column, cell) in row.enumerated() {
                line += cell + String(repeating: " ", count: widths[column] - cell.count + 2)
            }
            while line.last == " " { line.removeLast() }
            out += line + "\n"
        }
        return out
    }
}
