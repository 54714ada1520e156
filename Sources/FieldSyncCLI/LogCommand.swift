import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Foundation

/// `fieldsync log`: records a new visit and prints its id.
struct LogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Record a visit; prints the new visit's id.",
        discussion: """
            Services: \(Service.allCases.map(\.rawValue).joined(separator: ", ")).
            Outcomes: done, pending, failed (failed needs --reason).
            Reasons: \(FailureReason.allCases.map(\.rawValue).joined(separator: ", ")).
            The CCCD stays on this laptop; only a masked form and a keyed hash are ever synced.
            By logging, you confirm the citizen consented to their data being recorded (--no-consent otherwise).

            Example:
              fieldsync log --service vneid-level2 --outcome failed --reason \\
                  otp-not-received \\
                --name "Lê Thị Hoà" --cccd 001303012345 --phone "+84 97 123 4567" --note "come back Friday"
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var fields: VisitOptions
    @Flag(help: "The citizen did not consent: no CCCD or phone may be recorded.") var noConsent = false

    func run() throws {
        guard let serviceCode = fields.service, let outcomeCode = fields.outcome, let name = fields.name else {
            let missing = [("--service", fields.service), ("--outcome", fields.outcome), ("--name", fields.name)]
            throw UsageError.missingOptions(missing.filter { $0.1 == nil }.map(\.0), command: "log")
        }
        let parsed = try fields.parse()
        let store = try FieldStore.open(at: try Paths.store(global))
        let draft = VisitDraft(
            service: try Service(code: serviceCode), outcome: try Outcome(code: outcomeCode), commune: fields.commune,
            citizenName: name, citizenID: parsed.citizenID ?? nil, phone: parsed.phone ?? nil,
            reason: parsed.reason ?? nil, note: fields.note ?? "", visitedAt: parsed.visitedAt, consent: !noConsent)
        let stored = try store.log(draft)
        try warnIfOutsideScope(stored.visit, store)
        for earlier in try store.similarVisits(to: stored.visit, raw: stored.rawCitizenID, since: Date().addingTimeInterval(-30 * 86_400)) {
            Console.warn("the same citizen was already logged for \(earlier.service.rawValue) on \(LocalTime.format(earlier.visitedAt)) "
                         + "(visit \(earlier.id.suffix(8)), \(earlier.outcome.rawValue)): if this is the same visit, "
                         + "`fieldsync delete \(stored.visit.id.suffix(8))`")
        }
        if let raw = stored.rawCitizenID {
            Console.note("CCCD recorded as \(raw): check it against the card (fieldsync edit \(stored.visit.id.suffix(8)) --cccd … to fix)")
        }
        print(stored.visit.id)
    }
}

/// Warns when a visit's commune is one this laptop cannot send: it would stay here, flagged.
func warnIfOutsideScope(_ visit: Visit, _ store: FieldStore) throws {
    let scope = try store.scopeCommune()
    guard visit.commune != scope, !visit.deleted else { return }
    Console.warn("commune \(visit.commune) is not this laptop's commune \(scope): the hub will not take this visit, "
                 + "so it stays here, flagged (`fieldsync flagged`), until `fieldsync edit \(visit.id.suffix(8)) --commune \(scope)` "
                 + "or `fieldsync delete \(visit.id.suffix(8))`")
}
