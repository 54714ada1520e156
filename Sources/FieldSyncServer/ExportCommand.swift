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
        let documents = try store.visits(in: Scope(commune: commune, province: province)).map { VisitDocument($0.visit, version: $0.version) }
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(SafeText.jsonEscapingInvisible(String(decoding: try encoder.encode(documents), as: UTF8.self)))
            return
        }
        var csv = CSVWriter(header: ["id", "service", "outcome", "reason", "commune", "province", "name", "cccd", "phone", "note",
                                     "visitedAt", "volunteer", "team", "consentAt", "consentBy", "consentPolicy", "deleted", "version"])
        for d in documents {
            let version = d.version.keys.sorted().map { "\($0):\(d.version[$0] ?? 0)" }.joined(separator: " ")
            csv.row([d.id, d.service, d.outcome, d.reason ?? "", d.commune, d.province ?? "", d.name, d.cccd ?? "", d.phone ?? "",
                     d.note, d.visitedAt, d.volunteer, d.team, d.consent?.at ?? "", d.consent?.by ?? "", d.consent?.policy ?? "",
                     d.deleted ? "true" : "false", version])
        }
        print(csv.output, terminator: "")
    }
}
