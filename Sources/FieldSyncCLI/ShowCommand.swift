import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization
import TextSafety

/// `fieldsync show`: one visit in full, with its sync metadata.
struct ShowCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "show", abstract: Catalogue.process["help.show"],
                             discussion: Catalogue.process["help.show.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync show 1a2b3c4d --json")
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp(Catalogue.process["help.visit_id"])) var id: String
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false
    @Flag(name: .shortAndLong, help: ArgumentHelp(Catalogue.process["help.verbose"])) var verbose = false

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let stored = try store.visit(id)
        if json {
            try Console.printJSON(VisitDocument(stored.visit, version: stored.version))
        } else {
            print(SafeText.terminal(VisitText.render(stored, verbose: verbose, Catalogue.process.reading(try store.visitKind())), keepLineBreaks: true),
                  terminator: "")
        }
    }
}

/// The human-readable form of a visit.
enum VisitText {
    /// Key-value lines describing a stored visit.
    static func render(_ stored: StoredVisit, verbose: Bool = false, _ t: Catalogue) -> String {
        let v = stored.visit
        let place = CommuneCatalogue.shared.commune(v.commune)
        var lines: [(String, String)] = [
            (t["show.id"], v.id),
            (t.field("service"), t.service(v.service.rawValue)),
            (t.field("outcome"), t.outcome(v.outcome.rawValue) + (v.deleted ? " (" + t["show.deleted"] + ")" : "")),
        ]
        if let reason = v.reason { lines.append((t.field("reason"), t.reason(reason.rawValue))) }
        lines += [
            (t.field("commune"), "\(place?.name ?? v.commune) (\(v.commune)), \(place?.provinceName ?? "")"),
            (t.field("name"), v.citizenName),
            (t.field("cccd"), v.citizenID?.masked ?? t["none"]),
            (t.field("phone"), v.phone ?? t["none"]),
            (t.field("note"), v.note.isEmpty ? t["none"] : v.note),
            (t.field("visitedAt"), "\(t.time(v.visitedAt)) (\(t["times_vn"]))"),
            (t.field("volunteer"), t.format("status.volunteer_team", v.volunteer, v.team)),
            (t.field("consent"), v.consent.map { t.format("consent_given", t.time($0.at), $0.by, $0.policy) } ?? t["none"]),
        ]
        // Fields a published version of the visit kind added, in the kind's order where the catalogue reads it.
        let order = (t.published ?? Visit.builtInKind)?.fields.map(\.name) ?? []
        for (name, value) in v.extra.sorted(by: { (order.firstIndex(of: $0.key) ?? .max, $0.key) < (order.firstIndex(of: $1.key) ?? .max, $1.key) }) {
            lines.append((t.field(name), t.value(value, of: name)))
        }
        if verbose {
            lines.append((t["show.version"], stored.version.description))
            for field in VisitField.allCases {
                if let stamp = stored.stamp(of: field) { lines.append(("  \(field.rawValue)", stamp.description)) }
            }
        }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padded(to: width) + "  " + $0.1 + "\n" }.joined()
    }
}
