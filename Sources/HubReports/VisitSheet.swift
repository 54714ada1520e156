import FieldModel
import Foundation
import HubCore
import Localization

/// The visits table every export writes, one set of columns for the console and `fieldsync-server export`:
/// for programs (English column names, codes, UTC ISO 8601 times) and for people (the catalogue's headers,
/// labels for codes, Vietnam time; in XLSX a second sheet keeps the codes for programs).
public enum VisitSheet {
    /// The columns as programs read them, before the published fields; `review` is the coordinator's decision (issue 33:
    /// accepted, needs-correction, rejected; empty when not reviewed): a rejected visit is exported, and counts in no report.
    static let builtInColumns = ["visit", "visited_at", "commune", "commune_name", "province", "team", "volunteer", "service",
                                 "outcome", "reason", "name", "cccd", "phone", "note", "review"]
    /// Each column for people: a catalogue key, or a field of the visit (its label from the visit's kind document).
    static let peopleKeys = ["sheet.visit", "visitedAt", "sheet.commune_code", "commune", "sheet.province", "team",
                             "volunteer", "service", "outcome", "reason", "name", "cccd", "phone", "note", "review"]
    /// Column widths for people, in characters.
    static let widths: [Double] = [12, 17, 9, 26, 22, 13, 22, 32, 18, 34, 26, 15, 13, 40, 16]

    /// The fields a published version of the visit kind added (the catalogue reads that version), one column each
    /// after the built-in ones, in the kind's order.
    public static func publishedFields(_ t: Catalogue) -> [String] {
        (t.published?.fields ?? []).filter { VisitField(rawValue: $0.name) == nil && $0.system != true }.map(\.name)
    }

    /// The columns as programs read them: the built-in ones, then each published field by its name.
    public static func programColumns(_ t: Catalogue) -> [String] { builtInColumns + publishedFields(t) }

    /// The headers for people.
    public static func peopleColumns(_ t: Catalogue) -> [String] {
        peopleKeys.map { $0.hasPrefix("sheet.") ? t[$0] : t.field($0) } + publishedFields(t).map(t.field)
    }

    /// A visit as programs read it.
    public static func programRow(_ v: VisitLine, _ t: Catalogue) -> [String] {
        let place = CommuneCatalogue.shared.commune(v.commune)
        return [v.id, v.visitedAt, v.commune, place?.name ?? "", place?.provinceCode ?? "", v.team, v.volunteer, v.service, v.outcome,
                v.reason ?? "", v.name, v.cccdMasked ?? "", v.phone ?? "", v.note, v.published?["review"]?.text ?? ""] + publishedFields(t).map { name in
            switch v.published?[name] {
            case .bool(let b)?: b ? "true" : "false"
            case .int(let n)?: String(n)
            case .text(let text)?: text
            default: ""
            }
        }
    }

    /// A visit as people read it, typed for a spreadsheet: codes, phones and masks as text, the time as a date.
    public static func peopleCells(_ v: VisitLine, _ t: Catalogue) -> [XLSXCell] {
        let place = CommuneCatalogue.shared.commune(v.commune)
        func text(_ s: String?) -> XLSXCell { s.map { $0.isEmpty ? .empty : .text($0) } ?? .empty }
        return [.text(String(v.id.suffix(8))), ISODate.parseCanonical(v.visitedAt).map(XLSXCell.date) ?? .text(v.visitedAt),
                .text(v.commune), text(place?.name), text(place?.provinceName), .text(v.team), .text(v.volunteer),
                .text(t.service(v.service)), .text(t.outcome(v.outcome)), text(t.reason(v.reason)), .text(v.name), text(v.cccdMasked),
                text(v.phone), text(v.note), text(v.published?["review"]?.text.map(t.review))] + publishedFields(t).map { name in
            switch v.published?[name] {
            case nil, .null?: .empty
            case .int(let n)?: .number(Int(clamping: n))
            case let value?: .text(t.value(value, of: name))
            }
        }
    }

    /// A visit as people read it in a CSV file (the time as `07/12/2026 09:30`).
    public static func peopleRow(_ v: VisitLine, _ t: Catalogue) -> [String] { text(of: peopleCells(v, t), t) }

    /// Spreadsheet cells as CSV text for people (a time as `07/12/2026 09:30`).
    static func text(of cells: [XLSXCell], _ t: Catalogue) -> [String] {
        cells.map { cell in
            switch cell {
            case .text(let s): s
            case .number(let n): "\(n)"
            case .date(let d): t.time(d)
            case .empty: ""
            }
        }
    }

    /// The workbook: the visits for people, then the same visits with codes for programs.
    public static func workbook(_ visits: [VisitLine], _ t: Catalogue) throws -> Data {
        let people = XLSXSheet(name: t["sheet.visits"], header: peopleColumns(t), rows: visits.map { peopleCells($0, t) },
                               widths: widths + publishedFields(t).map { _ in 20 })
        let codes = XLSXSheet(name: t["sheet.codes"], header: programColumns(t), rows: visits.map { v in
            programRow(v, t).enumerated().map { i, cell in
                i == 1 ? ISODate.parseCanonical(cell).map(XLSXCell.date) ?? .text(cell) : cell.isEmpty ? .empty : .text(cell)
            }
        })
        return try XLSXWriter.workbook([people, codes])
    }
}
