import ArgumentParser
import CLISupport
import FieldStore
import TextSafety

/// `fieldsync consent withdraw`: a citizen withdraws consent; their data on the visit is erased.
struct ConsentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consent",
        abstract: "Record that a citizen withdrew their consent.",
        subcommands: [Withdraw.self])

    /// `consent withdraw`.
    struct Withdraw: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the citizen's name, phone, note and CCCD from a visit, here now and everywhere at the next sync.",
            discussion: """
                The visit itself stays (service, outcome, commune, date), so the team's figures do not change.
                It cannot be undone.

                Example:
                  fieldsync consent withdraw 6c99e2fa
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The visit's id, or its last 8 or more characters.") var visit: String

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let result = try store.withdrawConsent(visit)
            let id = SafeText.terminal(String(result.visit.visit.id.suffix(8)))
            print(result.changed.isEmpty ? "visit \(id) was already erased: nothing changed"
                  : "visit \(id): the citizen's data is erased here; the hub and other laptops erase it at the next sync")
        }
    }
}
