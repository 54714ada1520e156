import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import TextSafety

/// `fieldsync edit`: corrects or follows up a visit.
struct EditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "edit",
        abstract: "Change fields of a visit (a follow-up or a correction).",
        discussion: """
            Only the fields given, and only if their value changes, are written. An empty value clears \
            --cccd, --phone or --reason.

            Example:
              fieldsync edit 1a2b3c4d --outcome done --reason "" --note \\
                  "activated on second visit"
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The visit's id or an unambiguous prefix of it.") var id: String
    @OptionGroup var fields: VisitOptions

    func run() throws {
        let changes = try fields.changes()
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let result = try store.edit(id, changes)
        if changes.commune != nil { try warnIfOutsideScope(result.visit.visit, store) }
        if result.changed.isEmpty {
            Console.note("no field changed: visit \(result.visit.visit.id) left as it was")
        } else {
            Console.note("changed \(result.changed.map(\.rawValue).joined(separator: ", ")) of \(result.visit.visit.id)")
        }
        print(SafeText.terminal(VisitText.render(result.visit), keepLineBreaks: true), terminator: "")
    }
}
