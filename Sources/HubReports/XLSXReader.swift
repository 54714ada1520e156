import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HubCore
import ZIPFoundation

/// Reads the first sheet of an XLSX workbook as rows of text cells (shared and inline strings, numbers as written),
/// each with its row number, for lists people keep in a spreadsheet (a commune's households).
public enum XLSXReader {
    /// The rows of the workbook's first sheet, empty rows left out.
    /// - Throws: `XLSXReadError` when the file is not a workbook FieldSync can read.
    public static func rows(_ data: Data) throws -> [(line: Int, cells: [String])] {
        let archive: Archive
        do { archive = try Archive(data: data, accessMode: .read) } catch { throw XLSXReadError.notAWorkbook }
        func part(_ path: String) throws -> Data? {
            guard let entry = archive[path] else { return nil }
            var data = Data()
            guard entry.uncompressedSize < 200_000_000 else { throw XLSXReadError.tooLarge }
            _ = try archive.extract(entry, skipCRC32: false) { data.append($0) }
            return data
        }
        let strings = try part("xl/sharedStrings.xml").map { SharedStrings.parse($0) } ?? []
        let sheets: [String] = archive.map { (entry: Entry) -> String in entry.path }
            .filter { (path: String) -> Bool in path.hasPrefix("xl/worksheets/") && path.hasSuffix(".xml") }
        // `sheet1.xml` before `sheet10.xml`: the shorter name first.
        let first = sheets.min { (a: String, b: String) -> Bool in a.count == b.count ? a < b : a.count < b.count }
        guard let first, let sheet = try part(first), let rows = SheetCells.parse(sheet, strings: strings) else {
            throw XLSXReadError.notAWorkbook
        }
        return rows
    }

    /// A column's index from a cell reference (`C12` → 2).
    static func column(_ reference: String) -> Int {
        var index = 0
        for scalar in reference.unicodeScalars {
            guard (65...90).contains(scalar.value) else { break }
            index = index * 26 + Int(scalar.value - 64)
        }
        return max(0, index - 1)
    }
}

/// Why a workbook cannot be read.
public enum XLSXReadError: Error, CustomStringConvertible {
    case notAWorkbook, tooLarge, notUTF8

    public var description: String {
        switch self {
        case .notAWorkbook: "the file is not an XLSX workbook (save it from the spreadsheet as .xlsx or .csv)"
        case .tooLarge: "the workbook's sheet is over 200 MB unpacked"
        case .notUTF8: "the file is neither an XLSX workbook nor CSV text in UTF-8 (save it as «CSV UTF-8»)"
        }
    }
}

/// The shared strings of a workbook, in order.
private final class SharedStrings: NSObject, XMLParserDelegate {
    private var strings: [String] = []
    private var current = ""
    private var inText = false

    static func parse(_ data: Data) -> [String] {
        let reader = SharedStrings()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        return parser.parse() ? reader.strings : []
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        if name == "si" { current = "" }
        if name == "t" { inText = true }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inText { current += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        if name == "t" { inText = false }
        if name == "si" { strings.append(current) }
    }
}

/// The cells of a sheet by row.
private final class SheetCells: NSObject, XMLParserDelegate {
    private let strings: [String]
    private var rows: [(line: Int, cells: [String])] = []
    private var row: [Int: String] = [:]
    private var rowNumber = 0
    private var column = 0
    private var type = ""
    private var value = ""
    private var inValue = false

    private init(strings: [String]) { self.strings = strings }

    static func parse(_ data: Data, strings: [String]) -> [(line: Int, cells: [String])]? {
        let reader = SheetCells(strings: strings)
        let parser = XMLParser(data: data)
        parser.delegate = reader
        return parser.parse() ? reader.rows : nil
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        switch name {
        case "row":
            rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
            row = [:]
            column = 0
        case "c":
            column = attributes["r"].map(XLSXReader.column) ?? column
            type = attributes["t"] ?? "n"
            value = ""
        case "v", "t": inValue = true
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if inValue { value += string }
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        switch name {
        case "v", "t": inValue = false
        case "c":
            let text = type == "s" ? Int(value).flatMap { strings.indices.contains($0) ? strings[$0] : nil } ?? "" : value
            row[column] = text.trimmingCharacters(in: .whitespacesAndNewlines)
            column += 1
        case "row":
            let width = (row.keys.max() ?? -1) + 1
            let cells = (0..<width).map { row[$0] ?? "" }
            if cells.contains(where: { !$0.isEmpty }) { rows.append((rowNumber, cells)) }
        default: break
        }
    }
}

/// A spreadsheet file people upload or name: an XLSX workbook (its first sheet), or CSV text in UTF-8.
public enum SheetFile {
    /// Its rows, each with its line number.
    /// - Throws: `XLSXReadError` for a workbook that cannot be read or text that is not UTF-8.
    public static func rows(_ data: Data) throws -> [(line: Int, cells: [String])] {
        if data.starts(with: [0x50, 0x4B, 0x03, 0x04]) { return try XLSXReader.rows(data) }
        guard let text = String(data: data, encoding: .utf8) else { throw XLSXReadError.notUTF8 }
        return SheetRows.csv(text)
    }
}
