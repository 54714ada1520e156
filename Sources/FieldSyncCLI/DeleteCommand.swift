import ArgumentParser
import CLISupport
import FieldStore
import Localization

/// `fieldsync delete`: marks a visit deleted (the deletion syncs).
struct DeleteCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "delete", abstract: Catalogue.process["help.delete"],
                             discussion: Catalogue.process["help.delete.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync delete 1a2b3c4d")
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp(Catalogue.process["help.visit_id"])) var id: String

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let result = try store.delete(id)
        let id = String(result.visit.visit.id.suffix(8))
        Console.note(Catalogue.process.format(result.changed.isEmpty ? "delete.already" : "delete.done", id))
    }
}
