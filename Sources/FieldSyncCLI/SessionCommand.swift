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
import RecordKinds
import SyncCore
import TextSafety

/// `fieldsync session log|list|show|edit|delete`: training sessions (Bình dân học vụ số), a record kind of their own
/// (Protocol/kinds/session.json), written, checked and synced by the kind's document like any other kind.
struct SessionCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "session", abstract: Catalogue.process["help.session"],
                             subcommands: [Log.self, List.self, Show.self, Edit.self, Delete.self])
    }

    /// The fields a person gives, by option (each read by its type in the kind's latest version).
    struct Fields: ParsableArguments {
        @Option(help: ArgumentHelp(fieldHelp("heldAt"))) var at: String?
        @Option(help: ArgumentHelp(fieldHelp("place"))) var place: String?
        @Option(help: ArgumentHelp(fieldHelp("topic"), valueName: "code")) var topic: String?
        @Option(help: ArgumentHelp(fieldHelp("trainers"))) var trainers: String?
        @Option(help: ArgumentHelp(fieldHelp("attendees"))) var attendees: String?
        @Option(help: ArgumentHelp(fieldHelp("women"))) var women: String?
        @Option(help: ArgumentHelp(fieldHelp("elderly"))) var elderly: String?
        @Option(help: ArgumentHelp(fieldHelp("note"))) var note: String?

        /// A field's help: its label in the session kind FieldSync is built with, in the person's language, and its name.
        static func fieldHelp(_ name: String) -> String {
            let t = Catalogue.process
            // Losing the error is safe: without the document (RecordKindsTests fails then) the help names the field alone.
            let field = (try? RecordKind.builtIn("session"))?.field(name)
            let label = field.map { t.words($0.labels) } ?? name
            let options = field?.options.map { ": " + $0.map(\.code).joined(separator: ", ") } ?? ""
            return t.format("help.session.field", label + options, name)
        }

        /// The values given, read by `kind`.
        func values(_ kind: RecordKind) throws -> [String: FieldValue] {
            let given = [("heldAt", at), ("place", place), ("topic", topic), ("trainers", trainers), ("attendees", attendees),
                         ("women", women), ("elderly", elderly), ("note", note)]
            return try RecordForm.values(kind, Dictionary(uniqueKeysWithValues: given.compactMap { name, text in text.map { (name, $0) } }))
        }
    }

    struct Log: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "log", abstract: Catalogue.process["help.session.log"],
                                 discussion: Catalogue.process["help.example"] + """

                                   fieldsync session log --place "Thôn Đông" --topic vneid --trainers "Nguyễn Văn An; Lê Thị Hoa" \\
                                       --attendees 32 --women 18 --elderly 9 --at "07/12/2026 14:00"
                                 """)
        }
        @OptionGroup var global: GlobalOptions
        @OptionGroup var fields: Fields

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: false)
            let kind = try store.kind("session")
            var values = try fields.values(kind)
            if values["heldAt"] == nil { values["heldAt"] = .text(ISODate.format(Date())) }
            let state = try store.logRecord(kind, values)
            Console.note(Catalogue.process.format("session.logged", String(state.id.suffix(8))))
            print(state.id)
        }
    }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "list", abstract: Catalogue.process["help.session.list"])
        }
        @OptionGroup var global: GlobalOptions
        @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let kind = try store.kind("session")
            let sessions = try store.records(of: "session")
            if json {
                try Console.printJSON(sessions.map { SessionDocument($0) })
                return
            }
            let t = Catalogue.process
            guard !sessions.isEmpty else { return Console.note(t["session.none"]) }
            func fieldLabel(_ name: String) -> String { kind.field(name).map { t.words($0.labels) } ?? name }
            var table = TextTable(["id", fieldLabel("heldAt"), fieldLabel("place"), fieldLabel("topic"), fieldLabel("attendees")], dropOrder: [2], cutColumn: 2)
            var people = 0
            for session in sessions {
                let values = FieldStore.values(of: session)
                let topic = values["topic"]?.text ?? ""
                var attendees = 0
                if case .int(let n)? = values["attendees"] { attendees = Int(clamping: n) }
                people += attendees
                table.add([String(session.id.suffix(8)), t.time(values["heldAt"]?.text), values["place"]?.text ?? "",
                           kind.field("topic")?.options?.first { $0.code == topic }.map { t.words($0.labels) } ?? topic, t.number(attendees)])
            }
            print(table.render(width: SafeText.terminalWidth).text, terminator: "")
            Console.note(t.format("session.total", t.number(sessions.count), t.number(people)))
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "show", abstract: Catalogue.process["help.session.show"])
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.session.id"])) var id: String
        @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let state = try store.record(of: "session", id)
            if json { return try Console.printJSON(SessionDocument(state)) }
            print(SafeText.terminal(SessionCommand.render(state, kind: try store.kind("session"), Catalogue.process), keepLineBreaks: true), terminator: "")
        }
    }

    struct Edit: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "edit", abstract: Catalogue.process["help.session.edit"])
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.session.id"])) var id: String
        @OptionGroup var fields: Fields

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let kind = try store.kind("session")
            let result = try store.editRecord(kind, id, try fields.values(kind))
            let t = Catalogue.process
            let id = String(result.state.id.suffix(8))
            if result.changed.isEmpty {
                Console.note(t.format("session.unchanged", id))
            } else {
                let names = result.changed.map { name in kind.field(name).map { t.words($0.labels).lowercased() } ?? name }
                Console.note(t.format("session.changed", names.joined(separator: ", "), id))
            }
            print(SafeText.terminal(SessionCommand.render(result.state, kind: kind, t), keepLineBreaks: true), terminator: "")
        }
    }

    struct Delete: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "delete", abstract: Catalogue.process["help.session.delete"])
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.session.id"])) var id: String

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let result = try store.deleteRecord(try store.kind("session"), id)
            Console.note(Catalogue.process.format(result.changed.isEmpty ? "session.already_deleted" : "session.deleted", String(result.state.id.suffix(8))))
        }
    }

    /// Key-value lines of a record, labelled by its kind, in the kind's order.
    static func render(_ state: RecordState, kind: RecordKind, _ t: Catalogue) -> String {
        var lines: [(String, String)] = [(t["show.id"], state.id)]
        for field in kind.fields where field.name != RecordState.deletedField {
            guard let value = state[field.name]?.value, value != .null else { continue }
            let shown: String
            switch (field.type, value) {
            case (.datetime, .text(let text)): shown = t.time(text)
            case (.code, .text(let code)): shown = field.options?.first { $0.code == code }.map { t.words($0.labels) } ?? code
            default: shown = t.value(value, of: field.name)
            }
            lines.append((t.words(field.labels), shown))
        }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0.padded(to: width) + "  " + $0.1 + "\n" }.joined()
    }
}

/// The JSON shape of a session in `session list --json` and `session show --json`: its id, its fields by name, its vector.
struct SessionDocument: Encodable {
    let id: String
    let fields: [String: FieldValue]
    let version: [String: UInt64]

    init(_ state: RecordState) {
        id = state.id
        fields = FieldStore.values(of: state)
        version = Dictionary(uniqueKeysWithValues: state.version.entries.map { ($0.replica.description, $0.seq) })
    }
}
