import FieldModel
import Foundation
import TextSafety

/// A commune's household list read from a spreadsheet's rows (issue 31): the header names the columns in Vietnamese
/// or English, with or without marks, in any order and with extra words (`Họ tên chủ hộ`, `SĐT`, `Số người từ 18
/// tuổi`); each later row is a household. Lines that cannot be read are kept as problems, each with its line number.
public struct HouseholdList: Sendable {
    /// A column the list may have.
    public enum Column: String, Sendable, CaseIterable {
        case village, code, houseNumber, street, head, phone, adults, note

        /// The words a header cell holds to name this column, folded (checked in `allCases` order: the first wins).
        var words: [[String]] {
            switch self {
            case .code: [["ma", "ho"], ["household", "code"], ["ma"], ["code"]]
            case .head: [["chu", "ho"], ["head"], ["ho", "ten"], ["name"]]
            case .phone: [["dien", "thoai"], ["sdt"], ["dt"], ["phone"]]
            case .adults: [["18"], ["truong", "thanh"], ["nguoi", "lon"], ["adults"], ["nhan", "khau"]]
            case .houseNumber: [["so", "nha"], ["house"]]
            case .street: [["ngo"], ["duong"], ["xom"], ["dia", "chi"], ["street"], ["address"], ["alley"]]
            case .village: [["thon"], ["to", "dan", "pho"], ["khu", "pho"], ["ap"], ["ban"], ["village"], ["to"]]
            case .note: [["ghi", "chu"], ["note"]]
            }
        }

        static let order: [Column] = [.code, .head, .phone, .adults, .houseNumber, .note, .street, .village]
    }

    /// A line read.
    public struct Line: Sendable {
        public var line: Int
        public var draft: HouseholdDraft
    }

    /// The columns found, by position.
    public let columns: [Int: Column]
    public let lines: [Line]
    /// Lines that cannot be read, by line number.
    public let problems: [(line: Int, problem: HouseholdProblem)]

    /// Reads rows, the first the header.
    /// - Throws: `HubError.invalidRequest` when the header lacks the village or the head of household's column.
    public init(rows: [(line: Int, cells: [String])]) throws {
        guard let header = rows.first else { throw HubError.invalidRequest("the household list is empty: its first line names the columns") }
        var columns: [Int: Column] = [:]
        for (index, cell) in header.cells.enumerated() {
            let words = HouseholdKey.normalised(cell).split(separator: " ").map(String.init)
            func holds(_ phrase: [String]) -> Bool {
                guard phrase.count <= words.count else { return false }
                return (0...(words.count - phrase.count)).contains { Array(words[$0..<($0 + phrase.count)]) == phrase }
            }
            if let column = Column.order.first(where: { column in !columns.values.contains(column) && column.words.contains(where: holds) }) {
                columns[index] = column
            }
        }
        let found = Set(columns.values)
        guard found.contains(.village), found.contains(.head) else {
            throw HubError.invalidRequest("""
                the household list's first line must name at least the village (Thôn/Tổ) and the head of household (Chủ hộ) columns; \
                it reads \(SafeText.quote(header.cells.joined(separator: ", ")))
                """)
        }
        var lines: [Line] = [], problems: [(Int, HouseholdProblem)] = []
        for row in rows.dropFirst() {
            var cells: [Column: String] = [:]
            for (index, column) in columns where index < row.cells.count { cells[column] = row.cells[index] }
            guard let village = cells[.village], !village.isEmpty else { problems.append((row.line, .noVillage)); continue }
            guard let head = cells[.head], !head.isEmpty else { problems.append((row.line, .noHead)); continue }
            lines.append(Line(line: row.line, draft: HouseholdDraft(
                village: village, code: cells[.code], houseNumber: cells[.houseNumber], street: cells[.street], head: head,
                phone: cells[.phone], adults: cells[.adults].map(Self.wholeNumberText), note: cells[.note])))
        }
        self.columns = columns
        self.lines = lines
        self.problems = problems
    }

    /// A count as spreadsheets write it (`3`, `3.0`, ` 3 `) as its digits; anything else as it was (the kind refuses it).
    static func wholeNumberText(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let number = Double(trimmed), number == number.rounded(), abs(number) < 1_000_000 { return String(Int(number)) }
        return trimmed
    }
}

/// What is wrong with a line of a household list; nothing is imported while a line has one.
public enum HouseholdProblem: Sendable, CustomStringConvertible {
    case noVillage
    case noHead
    /// A village the commune does not have (`known`: those it has).
    case unknownVillage(given: String, commune: String, known: [String])
    /// The same household as an earlier line.
    case sameAs(line: Int)
    /// A value the household kind refuses.
    case invalid(InputError)

    public var description: String {
        switch self {
        case .noVillage: "no village"
        case .noHead: "no head of household"
        case .unknownVillage(let given, let commune, let known):
            "commune \(commune) has no village \(SafeText.quote(given))"
                + (known.isEmpty ? " (add its villages first: `villages add`)" : ": it has " + known.joined(separator: ", "))
        case .sameAs(let line): "the same household as line \(line)"
        case .invalid(let error): "\(error)"
        }
    }
}
