import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Foundation
import Localization
import SyncCore

/// The visit fields `log` and `edit` take.
struct VisitOptions: ParsableArguments {
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.service"], valueName: "code")) var service: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.outcome"], valueName: "code")) var outcome: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.name"])) var name: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.cccd"])) var cccd: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.phone"])) var phone: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.commune"])) var commune: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.reason"], valueName: "code")) var reason: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.note"])) var note: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.at"])) var at: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.household"])) var household: String?
    @Option(name: .customLong("come-back"), help: ArgumentHelp(Catalogue.process["help.opt.come_back"], valueName: "dd/mm/yyyy")) var comeBack: String?
    @Option(name: .customLong("set"), help: ArgumentHelp(Catalogue.process["help.opt.set"], valueName: "name=value")) var published: [String] = []

    /// The optional fields, validated: nil = not given, .some(nil) = cleared with an empty value.
    struct Parsed {
        var citizenID: CitizenID??
        var phone: PhoneNumber??
        var reason: FailureReason??
        var visitedAt: Date?
    }

    /// Validates the fields that need it, printing warnings (an unusual phone prefix) to stderr.
    func parse(now: Date = Date()) throws -> Parsed {
        var parsed = Parsed()
        if let cccd { parsed.citizenID = cccd.isEmpty ? .some(nil) : try CitizenID(validating: cccd, now: now) }
        if let phone {
            if phone.isEmpty {
                parsed.phone = .some(nil)
            } else {
                let number = try PhoneNumber(validating: phone)
                if let warning = number.localizedWarning(Catalogue.process) { Console.warn(warning) }
                parsed.phone = number
            }
        }
        if let reason { parsed.reason = reason.isEmpty ? .some(nil) : try FailureReason(code: reason) }
        if let at { parsed.visitedAt = try ISODate.parse(at) }
        return parsed
    }

    /// The fields beyond the built-in columns: the household, the come-back date (an empty value: none), and the
    /// published fields given with `--set`, read by their types in the visit kind the store writes with.
    func publishedValues(_ store: FieldStore) throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        if let household { values["household"] = household.isEmpty ? .null : .text(try store.household(named: household).id) }
        if let comeBack {
            if comeBack.trimmingCharacters(in: .whitespaces).isEmpty {
                values["followUpOn"] = .null
            } else {
                let day = VietnamTime.day(of: try ISODate.parse(comeBack))
                values["followUpOn"] = VietnamTime.start(ofDay: day).map { .text($0) } ?? .null
                values["followUpClosed"] = .bool(false)
            }
        }
        guard !published.isEmpty else { return values }
        let kind = try store.visitKind()
        for pair in published {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts.first ?? "").trimmingCharacters(in: .whitespaces)
            // A built-in field has an option of its own (--service, --note, …); only published ones are set here.
            guard parts.count == 2, let kind, VisitField(rawValue: name) == nil else { throw InputError.unknownField(name) }
            values[name] = try kind.value(String(parts[1]), for: name)
        }
        return values
    }

    /// The service given, among the options the store's visit kind offers.
    func service(_ store: FieldStore) throws -> Service? {
        guard let service else { return nil }
        return try Service(code: service, options: try store.serviceOptions())
    }

    /// The edit these options describe.
    func changes(_ store: FieldStore, now: Date = Date()) throws -> VisitChanges {
        let parsed = try parse(now: now)
        var changes = VisitChanges()
        changes.service = try service(store)
        changes.extra = try publishedValues(store)
        changes.outcome = try outcome.map { code throws(InputError) in try Outcome(code: code) }
        changes.commune = commune
        changes.citizenName = name
        changes.citizenID = parsed.citizenID
        changes.phone = parsed.phone
        changes.reason = parsed.reason
        changes.note = note
        changes.visitedAt = parsed.visitedAt
        return changes
    }
}
