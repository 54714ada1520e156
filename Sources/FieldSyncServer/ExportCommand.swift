import ArgumentParser
import FieldModel
import Foundation
import HubPostgres
import HubCore
import HubSQLite
import SyncCore
import SyncProtocol
import TextSafety

/// `fieldsync-server export`: every visit of the central store, as JSON or CSV.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export every visit of the central store (deleted ones flagged) as JSON or CSV.",
        discussion: """
            Each visit has the same shape as `fieldsync list --json`. CSV is UTF-8 with a byte-order mark, \
            for Excel and LibreOffice. Citizen IDs appear masked only: the hub never has them in clear.

            Example:
              fieldsync-server --db hub.sqlite export --format csv > visits.csv
            """)

    @OptionGroup var global: HubOptions
    @Option(help: "json or csv.") var format = "json"
    @Option(help: "Only this province (2 digits).") var province: String?
    @Option(help: "Only this commune (5 digits).") var commune: String?

    func run() async throws {
        guard format == "json" || format == "csv" else { throw ServerInputError("unknown format \(SafeText.quote(format)): use json or csv") }
        let scope = Scope(commune: commune, province: province)
        let csv = format == "csv"
        try await global.audit(.export, scope: Device.text(of: scope), detail: ["format": format])
        if let url = global.databaseURL {
            // Rows stream from one snapshot through the connection: constant memory for any number of visits.
            try await PostgresHubStore.withStore(url: url, connections: 1) { store in
                var writer = ExportWriter(csv: csv)
                try writer.begin()
                try await store.forEachVisit(in: scope) { try writer.add($0, version: $1) }
                try writer.end()
            }
            return
        }
        let store = try HubStore(path: global.path, readOnly: true)
        try store.readForStreaming()
        var writer = ExportWriter(csv: csv)
        try writer.begin()
        try store.forEachVisit(in: scope) { try writer.add($0, version: $1) }
        try writer.end()
    }
}

/// Writes an export a visit at a time: one JSON array, or CSV rows under a header.
struct ExportWriter {
    let csv: Bool
    private var out = StreamedOutput()
    private var table = CSVWriter(header: ["id", "service", "outcome", "reason", "commune", "province", "name", "cccd", "phone", "note",
                                           "visitedAt", "volunteer", "team", "consentAt", "consentBy", "consentPolicy", "deleted", "version"])
    private var first = true
    private let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    init(csv: Bool) { self.csv = csv }

    mutating func begin() throws {
        if !csv { try out.write("[") }
    }

    mutating func add(_ visit: Visit, version: VersionVector) throws {
        let d = VisitDocument(visit, version: version)
        if !csv {
            let json = String(decoding: try encoder.encode(d), as: UTF8.self)
            try out.write((first ? "\n" : ",\n") + SafeText.jsonEscapingInvisible(json))
            first = false
            return
        }
        let versionText = d.version.keys.sorted().map { "\($0):\(d.version[$0] ?? 0)" }.joined(separator: " ")
        table.row([d.id, d.service, d.outcome, d.reason ?? "", d.commune, d.province ?? "", d.name, d.cccd ?? "", d.phone ?? "",
                   d.note, d.visitedAt, d.volunteer, d.team, d.consent?.at ?? "", d.consent?.by ?? "", d.consent?.policy ?? "",
                   d.deleted ? "true" : "false", versionText])
        try out.write(table.take())
    }

    mutating func end() throws {
        if csv {
            try out.write(table.take())
        } else {
            try out.write(first ? "]\n" : "\n]\n")
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

    /// Writes what is buffered; a closed pipe or a full disk is an error, not a crash.
    mutating func flush() throws {
        try FileHandle.standardOutput.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
