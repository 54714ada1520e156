import FieldModel
import Foundation
import TextSafety
import ZIPFoundation

/// A cell of a spreadsheet: text stays text (commune `00004`, phone `0971…` keep their zeros), numbers
/// are numbers, moments are dates in Vietnam time.
public enum XLSXCell: Sendable, Equatable {
    case text(String)
    case number(Int)
    case date(Date)
    case empty
}

/// One sheet: a header row and rows of typed cells, with column widths (in characters).
public struct XLSXSheet: Sendable {
    public var name: String
    public var header: [String]
    public var rows: [[XLSXCell]]
    /// Each column's width; nil: fitted to the header and the first rows.
    public var widths: [Double]?

    public init(name: String, header: [String], rows: [[XLSXCell]], widths: [Double]? = nil) {
        self.name = name
        self.header = header
        self.rows = rows
        self.widths = widths
    }

    /// The widths to write: given, or the longest of the header and the first 200 cells of each column, within 8…60.
    var columnWidths: [Double] {
        if let widths { return widths }
        return header.indices.map { c in
            let cells = rows.prefix(200).map { row -> Int in
                guard c < row.count else { return 0 }
                switch row[c] {
                case .text(let text): return text.count
                case .number(let n): return String(n).count
                case .date: return 16
                case .empty: return 0
                }
            }
            return min(60, max(8, Double(([header[c].count] + cells).max() ?? 8) + 2))
        }
    }
}

/// Writes an Office Open XML workbook (.xlsx) with ZIPFoundation: inline strings, a date style, a
/// frozen bold header row with a filter, column widths. What Excel, LibreOffice and openpyxl open without
/// guessing types.
public enum XLSXWriter {
    /// The workbook's bytes.
    /// - Throws: ZIPFoundation's error when the archive cannot be written (memory).
    public static func workbook(_ sheets: [XLSXSheet]) throws -> Data {
        let archive = try Archive(accessMode: .create)
        func add(_ path: String, _ text: String) throws {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let indices = sheets.indices.map { $0 + 1 }
        try add("[Content_Types].xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
            \(indices.map { "<Override PartName=\"/xl/worksheets/sheet\($0).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>" }.joined())\
            </Types>
            """)
        try add("_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
            </Relationships>
            """)
        try add("xl/workbook.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>\
            \(zip(indices, sheets).map { "<sheet name=\"\(ReportDocument.escape(String($1.name.prefix(31))))\" sheetId=\"\($0)\" r:id=\"rId\($0)\"/>" }.joined())\
            </sheets><definedNames>\
            \(zip(indices, sheets).map { "<definedName name=\"_xlnm._FilterDatabase\" localSheetId=\"\($0 - 1)\" hidden=\"1\">\(Self.filterName($1))!\(Self.filterRange($1, absolute: true))</definedName>" }.joined())\
            </definedNames></workbook>
            """)
        try add("xl/_rels/workbook.xml.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            \(indices.map { "<Relationship Id=\"rId\($0)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\($0).xml\"/>" }.joined())\
            <Relationship Id="rId\(sheets.count + 1)" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
            </Relationships>
            """)
        // Style 0: general; 1: text (@); 2: date and time dd/mm/yyyy hh:mm; 3: bold header.
        try add("xl/styles.xml", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy hh:mm"/></numFmts>\
            <fonts count="2"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font></fonts>\
            <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
            <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
            <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
            <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
            <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
            <xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>\
            </styleSheet>
            """)
        for (index, sheet) in zip(indices, sheets) {
            var xml = """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
                <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>\
                <cols>\(sheet.columnWidths.enumerated().map { "<col min=\"\($0.offset + 1)\" max=\"\($0.offset + 1)\" width=\"\($0.element)\" customWidth=\"1\"/>" }.joined())</cols>\
                <sheetData>
                """
            xml += row(sheet.header.map { .text($0) }, number: 1, style: 3)
            for (n, cells) in sheet.rows.enumerated() { xml += row(cells, number: n + 2, style: nil) }
            xml += "</sheetData><autoFilter ref=\"\(Self.filterRange(sheet, absolute: false))\"/></worksheet>"
            try add("xl/worksheets/sheet\(index).xml", xml)
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    static func row(_ cells: [XLSXCell], number: Int, style: Int?) -> String {
        var xml = "<row r=\"\(number)\">"
        for (column, cell) in cells.enumerated() {
            let ref = Self.column(column) + "\(number)"
            switch cell {
            case .text(let text):
                xml += "<c r=\"\(ref)\" t=\"inlineStr\" s=\"\(style ?? 1)\"><is><t xml:space=\"preserve\">\(ReportDocument.escape(text))</t></is></c>"
            case .number(let value):
                xml += "<c r=\"\(ref)\"><v>\(value)</v></c>"
            case .date(let date):
                // Spreadsheet dates have no zone: the serial day of the moment in Vietnam time.
                let local = date.timeIntervalSince1970 + Double(VietnamTime.zone.secondsFromGMT(for: date))
                xml += "<c r=\"\(ref)\" s=\"2\"><v>\(local / 86_400 + 25_569)</v></c>"
            case .empty:
                continue
            }
        }
        return xml + "</row>"
    }

    /// The header and every row, `A1:M201` (or `$A$1:$M$201` for a defined name).
    static func filterRange(_ sheet: XLSXSheet, absolute: Bool) -> String {
        let last = column(max(sheet.header.count, 1) - 1), rows = sheet.rows.count + 1
        return absolute ? "$A$1:$\(last)$\(rows)" : "A1:\(last)\(rows)"
    }

    /// A sheet's name as a formula refers to it: quoted, with quotes doubled.
    static func filterName(_ sheet: XLSXSheet) -> String {
        "'" + ReportDocument.escape(String(sheet.name.prefix(31)).replacingOccurrences(of: "'", with: "''")) + "'"
    }

    /// `A`, `B`, … `Z`, `AA`…
    static func column(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

}
