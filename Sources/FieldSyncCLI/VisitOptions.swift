import TextSafety
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

    /// The form these options fill: read by the same rules as the app's form.
    var form: VisitForm {
        var form = VisitForm()
        (form.service, form.outcome, form.name, form.cccd, form.phone) = (service, outcome, name, cccd, phone)
        (form.commune, form.reason, form.note, form.at, form.household, form.comeBack) = (commune, reason, note, at, household, comeBack)
        return form
    }

    /// The form with the published fields of `--set name=value`.
    func form(_ store: FieldStore) throws -> VisitForm {
        var form = self.form
        for pair in published {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts.first ?? "").trimmingWhitespace
            guard parts.count == 2 else { throw InputError.unknownField(name) }
            form.published[name] = String(parts[1])
        }
        return form
    }

    /// Warns of an unusual phone prefix on stderr (the number is still taken).
    func warnAboutPhone() {
        // Losing the error is safe: a number that does not parse is refused, with its message, by the form itself.
        guard let phone, !phone.isEmpty, let number = try? PhoneNumber(validating: phone),
              let warning = number.localizedWarning(Catalogue.process) else { return }
        Console.warn(warning)
    }
}
