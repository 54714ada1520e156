import FieldModel
import Foundation
import TextSafety

/// Targets for done visits per commune and service, read from a CSV file `commune,service,target`,
/// as people write it and as spreadsheets save it back: `,`, `;` or tab between cells, quoted cells,
/// commune codes that lost their leading zeros (`4` → `00004`), thousands written `1.000` or `1,000`.
public struct Targets: Sendable, Equatable {
    /// Target per (commune, service).
    public let values: [String: [String: Int]]

    /// Targets given directly (as a store reads them back).
    public init(values: [String: [String: Int]]) {
        self.values = values
    }

    /// How many (commune, service) targets there are.
    public var count: Int { values.values.map(\.count).reduce(0, +) }

    /// Reads a targets file's text; every bad line is reported, not only the first.
    /// - Throws: `TargetsError` naming the line(s) and what is wrong.
    public init(csv text: String, catalogue: CommuneCatalogue = .shared) throws(TargetsError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        let first = lines.first ?? ""
        let separator: Character = first.contains(",") ? "," : first.contains(";") ? ";" : "\t"
        func cells(_ line: String) -> [String] {
            line.split(separator: separator, omittingEmptySubsequences: false).map { cell in
                var cell = cell.trimmingCharacters(in: .whitespaces)
                if cell.count >= 2, cell.hasPrefix("\""), cell.hasSuffix("\"") { cell = String(cell.dropFirst().dropLast()) }
                return cell.replacingOccurrences(of: "\"\"", with: "\"").trimmingCharacters(in: .whitespaces)
            }
        }
        // The header in English or in Vietnamese, with or without marks (`Mã xã;Dịch vụ;Chỉ tiêu`).
        let header = cells(first).map { VietnameseText.fold($0) }
        guard header == ["commune", "service", "target"] || header == ["ma xa", "dich vu", "chi tieu"] else { throw .badHeader(found: first) }
        var values: [String: [String: Int]] = [:]
        var problems: [TargetsError] = []
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            let row = cells(line)
            if row.allSatisfy(\.isEmpty) { continue }  // a spreadsheet's empty row: `;;`
            guard row.count == 3 else {
                problems.append(.badLine(line: number, detail: "expected 3 cells (commune,service,target), found \(row.count)"))
                continue
            }
            // A spreadsheet drops a code's leading zeros: a shorter all-digit code is padded back to 5.
            var commune = row[0]
            if (1...4).contains(commune.count), commune.allSatisfy(\.isASCII), commune.allSatisfy(\.isNumber) {
                commune = String(repeating: "0", count: 5 - commune.count) + commune
            }
            // Losing this error is safe: a validation failure is reported as a bad commune code on this line.
            guard (try? catalogue.validate(commune)) != nil else {
                problems.append(.unknownCommune(line: number, code: row[0]))
                continue
            }
            guard let service = Service(rawValue: row[1]), Service.allCases.contains(service) else {
                problems.append(.unknownService(line: number, code: row[1]))
                continue
            }
            guard let target = Self.wholeNumber(row[2]) else {
                problems.append(.badLine(line: number, detail: "target \(SafeText.quote(row[2])) is not a whole number"))
                continue
            }
            guard target >= 0 else {
                problems.append(.negativeTarget(line: number, value: target))
                continue
            }
            guard values[commune]?[row[1]] == nil else {
                problems.append(.badLine(line: number, detail: "commune \(commune) and service \(row[1]) already have a target"))
                continue
            }
            values[commune, default: [:]][row[1]] = target
        }
        if problems.count == 1, let only = problems.first { throw only }
        if !problems.isEmpty { throw .several(problems) }
        self.values = values
    }

    /// `1500`, `1.500` or `1,500` (thousands grouped as spreadsheets write them) as 1500; nil otherwise.
    static func wholeNumber(_ text: String) -> Int? {
        if let value = Int(text) { return value }
        let groups = text.split(separator: text.contains(".") ? "." : ",", omittingEmptySubsequences: false)
        guard groups.count > 1, (1...3).contains(groups[0].count), groups.dropFirst().allSatisfy({ $0.count == 3 }),
              groups.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) })
        else { return nil }
        return Int(groups.joined())
    }

    /// Targets for VNeID level 2 derived from the household lists (issue 31): each commune's adults declared times a
    /// share (the province's target, 0–1), rounded; communes without a list get none.
    public static func fromHouseholds(_ lines: [CoverageLine], share: Double) -> Targets {
        var adults: [String: Int] = [:]
        for line in lines where !line.commune.isEmpty { adults[line.commune, default: 0] += line.adults }
        return Targets(values: adults.filter { $0.value > 0 }.mapValues { [Service.vneidLevel2.rawValue: Int((Double($0) * share).rounded())] })
    }

    /// These targets with `other`'s added where these have none for a commune and service (pasted ones win).
    public func filling(from other: Targets) -> Targets {
        Targets(values: other.values.merging(values) { derived, pasted in derived.merging(pasted) { _, pasted in pasted } })
    }

    /// A share of adults as people type it: `80`, `80%`, `80 %` or `0,8` / `0.8`; nil outside (0, 100 %].
    public static func share(_ text: String) -> Double? {
        let trimmed = text.replacingOccurrences(of: "%", with: "").replacingOccurrences(of: ",", with: ".").trimmingCharacters(in: .whitespaces)
        guard let number = Double(trimmed), number > 0 else { return nil }
        let share = number > 1 ? number / 100 : number
        return share <= 1 ? share : nil
    }

    /// Reads a targets file.
    public init(file path: String) throws(TargetsError) {
        // Losing this error is safe: any read failure becomes TargetsError.unreadable naming the file.
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw .unreadable(path: path) }
        try self.init(csv: text)
    }
}

/// Why a targets file cannot be used.
public enum TargetsError: Error, Equatable, CustomStringConvertible {
    case unreadable(path: String)
    case badHeader(found: String)
    case badLine(line: Int, detail: String)
    case unknownCommune(line: Int, code: String)
    case unknownService(line: Int, code: String)
    case negativeTarget(line: Int, value: Int)
    /// Several lines are wrong: each is named.
    indirect case several([TargetsError])

    public var description: String {
        switch self {
        case .unreadable(let path): "cannot read the targets file \(path) (missing, or not UTF-8 text)"
        case .badHeader(let found):
            "the targets file must start with the header «commune,service,target», not \(SafeText.quote(found))"
        case .badLine(let line, let detail): "targets file, line \(line): \(detail)"
        case .unknownCommune(let line, let code):
            "targets file, line \(line): commune \(SafeText.quote(code)) is not in the catalogue in force since 1 July 2025"
        case .unknownService(let line, let code):
            "targets file, line \(line): unknown service \(SafeText.quote(code)); use one of " + Service.allCases.map(\.rawValue).joined(separator: ", ")
        case .negativeTarget(let line, let value): "targets file, line \(line): target \(value) is negative"
        case .several(let problems): "\(problems.count) lines of the targets file are wrong:\n" + problems.map { "  \($0)" }.joined(separator: "\n")
        }
    }
}
