import ArgumentParser
import FieldModel
import Foundation
import HubPostgres
import HubCore
import HubReports
import HubSQLite
import Localization
import SyncCore
import SyncProtocol
import TextSafety

/// `fieldsync-server export`: every visit of the central store, for programs (JSON, CSV) or for people (CSV, XLSX).
struct ExportCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "export",
        abstract: Catalogue.process.helpText("Export every visit of the central store: JSON or CSV for programs, CSV or XLSX for people."),
        discussion: Catalogue.process.helpText("""
            json        every visit (deleted ones flagged) with its sync metadata, as `fieldsync list --json`.
            csv         the visits table for programs: English column names, codes, UTC ISO 8601 times \
            (the console's visits.csv has the same columns).
            people-csv  the same table for people: headers and codes in words (--lang), Vietnam time; \
            --separator ';' for spreadsheets set up for Vietnamese.
            xlsx        a workbook for people (the console's visits.xlsx): headers in words, codes as labels, \
            times as dates in Vietnam time, a filter row; a second sheet keeps the codes.
            CSV is UTF-8 with a byte-order mark. Deleted visits are in json only. Citizen IDs appear masked only.

            Example:
              fieldsync-server --db hub.sqlite export --format csv > visits.csv
              fieldsync-server --db hub.sqlite export --format xlsx > visits.xlsx
            """))
    }

    @OptionGroup var global: HubOptions
    @Option(help: ArgumentHelp(Catalogue.process.helpText("json, csv, people-csv or xlsx."))) var format = "json"
    @Option(help: ArgumentHelp(Catalogue.process.helpText("people-csv: ',' (the default) or ';'."))) var separator = ","
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this province (2 digits)."))) var province: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this commune (5 digits)."))) var commune: String?

    /// Visits one XLSX holds at most (it is built in memory); CSV streams any number.
    static let xlsxRowLimit = 200_000

    func run() async throws {
        guard let format = ExportFormat(rawValue: format) else {
            throw ServerInputError("unknown format \(SafeText.quote(format)): use " + ExportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let separator = [",", ";"].contains(separator) ? separator.first : nil else {
            throw ServerInputError("--separator must be ',' or ';'")
        }
        let scope = Scope(commune: commune, province: province)
        try await global.audit(.export, scope: Device.text(of: scope), detail: ["format": format.rawValue])
        // The published fields of the visit kind get columns of their own, labelled as the hub published them.
        let visitKind = PublishedKind.latest("visit", in: try await global.withStorage(readOnly: true) { try await $0.kinds() })
        var writer = ExportWriter(format: format, catalogue: try global.catalogue.reading(visitKind), separator: separator)
        try writer.begin()
        if let url = global.databaseURL {
            // Rows stream from one snapshot through the connection: constant memory for any number of visits.
            try await PostgresHubStore.withStore(url: url, connections: 1) { store in
                try await store.forEachVisit(in: scope) { try writer.add($0, version: $1) }
            }
        } else {
            let store = try HubStore(path: global.path, readOnly: true)
            try store.readForStreaming()
            try store.forEachVisit(in: scope) { try writer.add($0, version: $1) }
        }
        try writer.end()
    }
}

/// What `export --format` writes.
enum ExportFormat: String, CaseIterable {
    case json, csv, peopleCSV = "people-csv", xlsx
}

/// Writes an export a visit at a time: one JSON array, CSV rows under a header, or (at the end) a workbook.
struct ExportWriter {
    let format: ExportFormat
    let catalogue: Catalogue
    private var out = StreamedOutput()
    private var table: CSVWriter
    private var first = true
    private var sheet: [VisitLine] = []
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(format: ExportFormat, catalogue: Catalogue, separator: Character = ",") {
        self.format = format
        self.catalogue = catalogue
        table = CSVWriter(header: format == .peopleCSV ? VisitSheet.peopleColumns(catalogue) : VisitSheet.programColumns(catalogue),
                          separator: format == .peopleCSV ? separator : ",")
    }

    mutating func begin() throws {
        if format == .json { try out.write("[") }
    }

    mutating func add(_ visit: Visit, version: VersionVector) throws {
        switch format {
        case .json:
            let json = String(decoding: try encoder.encode(VisitDocument(visit, version: version)), as: UTF8.self)
            try out.write((first ? "\n" : ",\n") + SafeText.jsonEscapingInvisible(json))
            first = false
        case .csv, .peopleCSV:
            guard !visit.deleted else { return }
            let line = VisitLine(visit, hubSeq: 0)
            table.row(format == .csv ? VisitSheet.programRow(line, catalogue) : VisitSheet.peopleRow(line, catalogue))
            try out.write(table.take())
        case .xlsx:
            guard !visit.deleted else { return }
            guard sheet.count < ExportCommand.xlsxRowLimit else {
                throw ServerInputError("more than \(ExportCommand.xlsxRowLimit) visits for one XLSX file: export one province or commune "
                                       + "at a time (--province, --commune), or use --format people-csv")
            }
            sheet.append(VisitLine(visit, hubSeq: 0))
        }
    }

    mutating func end() throws {
        switch format {
        case .json: try out.write(first ? "]\n" : "\n]\n")
        case .csv, .peopleCSV: try out.write(table.take())
        case .xlsx: try out.write(try VisitSheet.workbook(sheet, catalogue))
        }
        try out.flush()
    }
}

/// Standard output written in 64 KiB chunks, so an export of any size holds one chunk in memory.
struct StreamedOutput {
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 65_536 { try flush() }
    }

    mutating func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= 65_536 { try flush() }
    }

    /// Writes what is buffered; a closed pipe or a full disk is an error, not a crash.
    mutating func flush() throws {
        try FileHandle.standardOutput.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
