import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Foundation
import TextSafety

/// `fieldsync show`: one visit in full, with its sync metadata.
struct ShowCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one visit in full (with --verbose, its version vector and field stamps too).",
        discussion: """
            ID is the id `log` printed, or its last (or first) 8 or more characters, as `list` shows them.

            Example:
              fieldsync show 1a2b3c4d --json
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The visit's id or an unambiguous prefix of it.") var id: String
    @Flag(help: "Print JSON.") var json = false
    @Flag(name: .shortAndLong, help: "Also show the sync metadata: version vector and each field's clock stamp.") var verbose = false

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let stored = try store.visit(id)
        if json {
            try Console.printJSON(VisitDocument(stored.visit, version: stored.version))
        } else {
            print(SafeText.terminal(VisitText.render(stored, verbose: verbose), keepLineBreaks: true), terminator: "")
        }
    }
}

/// The human-readable form of a visit.
enum VisitText {
    /// Key-value lines describing a stored visit.
    static func render(_ stored: StoredVisit, verbose: Bool = false) -> String {
        let v = stored.visit
        let place = CommuneCatalogue.shared.commune(v.commune)
        var lines: [(String, String)] = [
            ("id", v.id),
            ("service", "\(v.service.rawValue) — \(v.service.title)"),
            ("outcome", v.outcome.rawValue + (v.deleted ? " (deleted)" : "")),
        ]
        if let reason = v.reason { lines.append(("reason", "\(reason.rawValue) — \(reason.explanation)")) }
        lines += [
            ("commune", "\(v.commune) \(place?.name ?? "") (\(place?.provinceName ?? ""))"),
            ("citizen", v.citizenName),
            ("cccd", v.citizenID?.masked ?? "—"),
            ("phone", v.phone ?? "—"),
            ("note", v.note.isEmpty ? "—" : v.note),
            ("when", "\(LocalTime.format(v.visitedAt)) (\(LocalTime.zone))"),
            ("volunteer", "\(v.volunteer) (team \(v.team))"),
            ("consent", v.consent.map { "\(LocalTime.format($0.at)) by \($0.by), notice \($0.policy)" } ?? "—"),
        ]
        if verbose {
            lines.append(("version", stored.version.description))
            for field in VisitField.allCases {
                if let stamp = stored.stamp(of: field) { lines.append(("  \(field.rawValue)", stamp.description)) }
            }
        }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 + "\n" }.joined()
    }
}
