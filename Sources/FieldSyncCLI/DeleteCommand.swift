import ArgumentParser
import CLISupport
import FieldStore

/// `fieldsync delete`: marks a visit deleted (the deletion syncs).
struct DeleteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete",
        abstract: "Delete a visit logged by mistake.",
        discussion: """
            The visit is kept as a tombstone so the deletion reaches the hub and the other laptops; \
            `list --all` still shows it.

            Example:
              fieldsync delete 1a2b3c4d
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The visit's id or an unambiguous prefix of it.") var id: String

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let result = try store.delete(id)
        Console.note(result.changed.isEmpty ? "visit \(result.visit.visit.id) was already deleted"
                                            : "deleted visit \(result.visit.visit.id)")
    }
}
