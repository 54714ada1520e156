import FieldModel
import Foundation
import HubCore
import Localization
import RecordKinds
import SyncCore

/// The table every export of a kind other than the visit writes (training sessions, …): one column per field of the
/// kind's latest version, in its order (who wrote it included, the tombstone left out), for programs (field names,
/// codes, UTC ISO 8601 times) and for people (labels, Vietnam time; in XLSX a second sheet keeps the codes).
public enum KindSheet {
    static func fields(_ kind: RecordKind) -> [KindField] { kind.fields.filter { $0.name != RecordState.deletedField } }

    /// The columns as programs read them: the record's id, then each field by name.
    public static func programColumns(_ kind: RecordKind) -> [String] { ["id"] + fields(kind).map(\.name) }

    /// The headers for people.
    public static func peopleColumns(_ kind: RecordKind, _ t: Catalogue) -> [String] { [t["sheet.record"]] + fields(kind).map { t.words($0.labels) } }

    /// A record as programs read it.
    public static func programRow(_ state: RecordState, _ kind: RecordKind) -> [String] {
        [state.id] + fields(kind).map { field in
            switch state[field.name]?.value {
            case .bool(let b)?: b ? "true" : "false"
            case .int(let n)?: String(n)
            case .text(let text)?: text
            default: ""
            }
        }
    }

    /// A record as people read it, typed for a spreadsheet: numbers as numbers, times as dates, options by their labels.
    public static func peopleCells(_ state: RecordState, _ kind: RecordKind, _ t: Catalogue) -> [XLSXCell] {
        [.text(String(state.id.suffix(8)))] + fields(kind).map { field -> XLSXCell in
            guard let value = state[field.name]?.value, value != .null else { return .empty }
            switch (field.type, value) {
            case (_, .int(let n)): return .number(Int(clamping: n))
            case (.datetime, .text(let text)): return ISODate.parseCanonical(text).map(XLSXCell.date) ?? .text(text)
            case (.code, .text(let code)): return .text(field.options?.first { $0.code == code }.map { t.words($0.labels) } ?? code)
            default: return .text(t.value(value, of: field.name))
            }
        }
    }

    /// A record as people read it in a CSV file.
    public static func peopleRow(_ state: RecordState, _ kind: RecordKind, _ t: Catalogue) -> [String] {
        VisitSheet.text(of: peopleCells(state, kind, t), t)
    }

    /// The workbook: the records for people, then the same records with codes for programs.
    public static func workbook(_ states: [RecordState], _ kind: RecordKind, _ t: Catalogue) throws -> Data {
        let people = XLSXSheet(name: t.words(kind.labels), header: peopleColumns(kind, t), rows: states.map { peopleCells($0, kind, t) })
        let codes = XLSXSheet(name: t["sheet.codes"], header: programColumns(kind), rows: states.map { state in
            programRow(state, kind).map { $0.isEmpty ? .empty : .text($0) }
        })
        return try XLSXWriter.workbook([people, codes])
    }
}
