import ArgumentParser
import CLISupport
import FieldStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization
import RecordKinds
import TextSafety

/// `fieldsync kinds`: the record kinds this laptop knows, as the hub last published them at a sync.
struct KindsCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "kinds", abstract: Catalogue.process["help.kinds"],
                             discussion: Catalogue.process["help.kinds.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync kinds")
    }

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: false)
        let t = Catalogue.process
        var latest: [String: RecordKind] = [:]
        for name in RecordKind.builtInNames { latest[name] = try RecordKind.builtIn(name) }
        let published = try store.hubKinds()
        if let data = published {
            struct Answer: Decodable { let kinds: [RecordKind] }
            let answer: Answer
            do {
                answer = try JSONDecoder().decode(Answer.self, from: data)
            } catch {
                throw KindError.invalid([t["kinds.damaged"]])
            }
            for kind in answer.kinds where kind.problems.isEmpty && kind.version >= (latest[kind.kind]?.version ?? 0) { latest[kind.kind] = kind }
        }
        func label(_ labels: KindLabels) -> String { SafeText.terminal(t.language == .vietnamese ? labels.vi : labels.en) }
        for kind in latest.values.sorted(by: { $0.kind < $1.kind }) {
            print(t.format("kinds.line", label(kind.labels), t.number(kind.version), t.number(kind.fields.count { $0.retired != true })))
            let builtIn = RecordKind.builtInNames.contains(kind.kind) ? try RecordKind.builtIn(kind.kind) : nil
            for field in kind.fields where field.system != true && field.retired != true {
                let before = builtIn?.field(field.name)
                let newOptions = (field.options ?? []).filter { option in before?.options?.contains { $0.code == option.code } != true }
                if before == nil {
                    print("  + " + t.format("kinds.new_field", label(field.labels)))
                } else if !newOptions.isEmpty {
                    print("  + " + t.format("kinds.new_options", label(field.labels), newOptions.map { label($0.labels) }.joined(separator: ", ")))
                }
            }
        }
        if published == nil { Console.note(t["kinds.not_yet"]) }
    }
}
