import ArgumentParser
import CLISupport
import FieldStore
import Localization
import TextSafety

/// `fieldsync consent withdraw`: a citizen withdraws consent; their data on the visit is erased.
struct ConsentCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "consent", abstract: Catalogue.process["help.consent"], subcommands: [Withdraw.self])
    }

    /// `consent withdraw`.
    struct Withdraw: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: Catalogue.process["help.withdraw"],
                                 discussion: Catalogue.process["help.withdraw.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                     + "\n  fieldsync consent withdraw 6c99e2fa")
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.visit_id"])) var visit: String

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let result = try store.withdrawConsent(visit)
            let id = SafeText.terminal(String(result.visit.visit.id.suffix(8)))
            print(Catalogue.process.format(result.changed.isEmpty ? "consent.already" : "consent.done", id))
        }
    }
}
