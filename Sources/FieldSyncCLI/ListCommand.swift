import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Foundation
import TextSafety

/// `fieldsync list`: the visits in the store, newest first.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List visits, newest first.",
        discussion: """
            --search ignores tone and vowel marks: "nguyen van a" finds "Nguyễn Văn A"; digits find a phone \
            number or a CCCD typed on this laptop. Deleted visits are left out unless --all is given.

            Example:
              fieldsync list --service vneid-level2 --outcome failed --since 2025-11-01
              fieldsync list --json
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this service.") var service: String?
    @Option(help: "Only this outcome.") var outcome: String?
    @Option(help: "Only visits on or after this date (ISO 8601).") var since: String?
    @Option(help: "Text to find in the citizen's name or the note (diacritics-insensitive), or digits of a phone or CCCD.")
    var search: String?
    @Flag(help: "Include deleted visits.") var all = false
    @Flag(help: "Print JSON instead of a table.") var json = false
    @Flag(help: "Show every column, however wide (otherwise the table fits $COLUMNS, or 100).") var wide = false

    func run() throws {
        let filter = VisitFilter(
            service: try service.map { code throws(InputError) in try Service(code: code) },
            outcome: try outcome.map { code throws(InputError) in try Outcome(code: code) },
            since: try since.map { text throws(InputError) in try ISODate.parse(text) },
            search: search, includeDeleted: all)
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let visits = try store.visits(filter)
        if json {
            try Console.printJSON(visits.map { VisitDocument($0.visit, version: $0.version) })
            return
        }
        guard !visits.isEmpty else {
            Console.note("no visits match")
            return
        }
        var table = TextTable(["ID", "WHEN (\(LocalTime.zone))", "SERVICE", "OUTCOME", "COMMUNE", "CITIZEN", "CCCD", "REASON"],
                              dropOrder: [7, 6, 4], cutColumn: 5)
        for stored in visits {
            let v = stored.visit
            table.add([
                String(v.id.suffix(8)), LocalTime.format(v.visitedAt), v.service.rawValue,
                v.deleted ? "deleted" : v.outcome.rawValue, v.commune, v.citizenName, v.citizenID?.masked ?? "",
                v.reason?.rawValue ?? "",
            ])
        }
        let (text, hidden) = table.render(width: wide ? nil : SafeText.terminalWidth)
        print(text, terminator: "")
        if !hidden.isEmpty { Console.note("(\(hidden.joined(separator: ", ")) left out to fit the screen: --wide shows them)") }
    }
}
