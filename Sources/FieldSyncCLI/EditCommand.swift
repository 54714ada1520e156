import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Localization
import TextSafety

/// `fieldsync edit`: corrects or follows up a visit.
struct EditCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "edit", abstract: Catalogue.process["help.edit"],
                             discussion: Catalogue.process["help.edit.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync edit 1a2b3c4d --outcome done --reason \"\" --note \\\n      \"đã kích hoạt lần hai\"")
    }

    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp(Catalogue.process["help.visit_id"])) var id: String
    @OptionGroup var fields: VisitOptions

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        fields.warnAboutPhone()
        let changes = try fields.form(store).changes(store)
        let result = try store.edit(id, changes)
        if changes.commune != nil { try warnIfOutsideScope(result.visit.visit, store) }
        let t = Catalogue.process.reading(try store.visitKind())
        let id = String(result.visit.visit.id.suffix(8))
        let changed = result.changed.map(\.rawValue) + result.changedExtras
        if changed.isEmpty {
            Console.note(t.format("edit.unchanged", id))
        } else {
            Console.note(t.format("edit.changed", changed.map { t.field($0).lowercased() }.joined(separator: ", "), id))
        }
        print(SafeText.terminal(VisitText.render(result.visit, t), keepLineBreaks: true), terminator: "")
    }
}
