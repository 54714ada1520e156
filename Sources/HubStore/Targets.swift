import FieldModel
import Foundation
import TextSafety

/// Targets for done visits per commune and service, read from a CSV file `commune,service,target`.
public struct Targets: Sendable, Equatable {
    /// Target per (commune, service).
    public let values: [String: [String: Int]]

    /// Reads a targets file's text.
    /// - Throws: `TargetsError` naming the line and what is wrong.
    public init(csv text: String, catalogue: CommuneCatalogue = .shared) throws(TargetsError) {
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        let header = lines.first?.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? []
        guard header == ["commune", "service", "target"] else {
            throw .badHeader(found: lines.first ?? "")
        }
        var values: [String: [String: Int]] = [:]
        for (index, line) in lines.enumerated().dropFirst() where !line.trimmingCharacters(in: .whitespaces).isEmpty {
            let number = index + 1
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard cells.count == 3 else { throw .badLine(line: number, detail: "expected 3 cells (commune,service,target), found \(cells.count)") }
            // Losing this error is safe: a validation failure is reported below as a bad commune code on this line.
            guard (try? catalogue.validate(cells[0])) != nil else {
                throw .unknownCommune(line: number, code: cells[0])
            }
            guard Service(rawValue: cells[1]) != nil else { throw .unknownService(line: number, code: cells[1]) }
            guard let target = Int(cells[2]) else { throw .badLine(line: number, detail: "target \(SafeText.quote(cells[2])) is not a whole number") }
            guard target >= 0 else { throw .negativeTarget(line: number, value: target) }
            guard values[cells[0]]?[cells[1]] == nil else {
                throw .badLine(line: number, detail: "commune \(cells[0]) and service \(cells[1]) already have a target")
            }
            values[cells[0], default: [:]][cells[1]] = target
        }
        self.values = values
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
        }
    }
}
