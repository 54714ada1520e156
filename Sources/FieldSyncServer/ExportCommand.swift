import ArgumentParser
import FieldModel
import Foundation
import HubStore
import SyncProtocol
import TextSafety

/// `fieldsync-server export`: every visit of the central store, as JSON or CSV.
struct ExportCommand: ParsableCommand {
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

    func run() throws {
        guard format == "json" || format == "csv" else { throw ServerInputError("unknown format \(SafeText.quote(format)): use json or csv") }
        let store = try HubStore(path: global.path, readOnly: true)
        try store.readForStreaming()
        var out = StreamedOutput()
        let scope = Scope(commune: commune, province: province)
        if format == "json" {
            // One array, written a visit at a time (constant memory for any number of visits).
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            var first = true
            try out.write("[")
            try store.forEachVisit(in: scope) { visit, version in
                let json = String(decoding: try encoder.encode(VisitDocument(visit, version: version)), as: UTF8.self)
                try out.write((first ? "\n" : ",\n") + SafeText.jsonEscapingInvisible(json))
                first = false
            }
            try out.write(first ? "]\n" : "\n]\n")
            return try out.flush()
        }
        var csv = CSVWriter(header: ["id", "service", "outcome", "reason", "commune", "province", "name", "cccd", "phone", "note",
                                     "visitedAt", "volunteer", "team", "consentAt", "consentBy", "consentPolicy", "deleted", "version"])
        try store.forEachVisit(in: scope) { visit, version in
            let d = VisitDocument(visit, version: version)
            let versionText = d.version.keys.sorted().map { "\($0):\(d.version[$0] ?? 0)" }.joined(separator: " ")
            csv.row([d.id, d.service, d.outcome, d.reason ?? "", d.commune, d.province ?? "", d.name, d.cccd ?? "", d.phone ?? "",
                     d.note, d.visitedAt, d.volunteer, d.team, d.consent?.at ?? "", d.consent?.by ?? "", d.consent?.policy ?? "",
                     d.deleted ? "true" : "false", versionText])
            try out.write(csv.take())
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
