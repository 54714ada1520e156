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

/// `fieldsync log`: records a new visit and prints its id.
struct LogCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        let t = Catalogue.process
        func codes(_ list: [String], _ label: (String) -> String) -> String { list.map { "  \($0) — \(label($0))" }.joined(separator: "\n") }
        // The codes' labels come from the visit kind, decoded only for help.
        guard HelpRequest.isShown else { return CommandConfiguration(commandName: "log", abstract: t["help.log"]) }
        return CommandConfiguration(
            commandName: "log", abstract: t["help.log"],
            discussion: t["help.services"] + "\n" + codes(Service.allCases.map(\.rawValue), t.service) + "\n"
                + t["help.outcomes"] + "\n" + codes(Outcome.allCases.map(\.rawValue), t.outcome) + "\n"
                + t["help.reasons"] + "\n" + codes(FailureReason.allCases.map(\.rawValue), { t.reason($0) }) + "\n"
                + t["help.log.discussion"] + "\n\n" + t["help.example"] + """

                  fieldsync log --service vneid-level2 --outcome failed --reason \\
                      otp-not-received \\
                    --name "Lê Thị Hoà" --cccd 001303012345 --phone "+84 97 123 4567" --note "hẹn thứ Sáu" --at "07/12/2026 09:30"
                """)
    }

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fields: VisitOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.no_consent"])) var noConsent = false

    func run() throws {
        guard fields.service != nil, fields.outcome != nil, fields.name != nil else {
            let missing = [("--service", fields.service), ("--outcome", fields.outcome), ("--name", fields.name)]
            throw UsageError.missingOptions(missing.filter { $0.1 == nil }.map(\.0), command: "log")
        }
        _ = try fields.form.parse()
        fields.warnAboutPhone()
        let store = try FieldStore.open(at: try Paths.store(global))
        let stored = try store.log(try fields.form(store).draft(store, consent: !noConsent))
        try warnIfOutsideScope(stored.visit, store)
        let t = Catalogue.process
        for earlier in try store.similarVisits(to: stored.visit, raw: stored.rawCitizenID, since: Date().addingTimeInterval(-30 * 86_400)) {
            Console.warn(t.format("log.similar", t.service(earlier.service.rawValue), t.time(earlier.visitedAt), String(earlier.id.suffix(8)),
                                  t.outcome(earlier.outcome.rawValue), String(stored.visit.id.suffix(8))))
        }
        if let raw = stored.rawCitizenID { Console.note(t.format("log.cccd_recorded", raw, String(stored.visit.id.suffix(8)))) }
        print(stored.visit.id)
    }
}

/// Warns when a visit's commune is one this laptop cannot send: it would stay here, flagged.
func warnIfOutsideScope(_ visit: Visit, _ store: FieldStore) throws {
    let scope = try store.scopeCommune()
    guard visit.commune != scope, !visit.deleted else { return }
    Console.warn(Catalogue.process.format("log.outside_scope", visit.commune, scope, String(visit.id.suffix(8))))
}
