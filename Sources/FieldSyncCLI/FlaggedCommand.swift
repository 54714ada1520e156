import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Localization
import TextSafety

/// `fieldsync flagged`: the visits waiting for a correction, and how to correct each.
struct FlaggedCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "flagged", abstract: Catalogue.process["help.flagged"],
                             discussion: Catalogue.process["help.flagged.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync flagged\n  fieldsync flagged --json")
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let flagged = try store.flaggedVisits()
        if json { return try Console.printJSON(flagged) }
        let t = Catalogue.process
        guard !flagged.isEmpty else { return Console.note(t["flagged.none"]) }
        for flag in flagged {
            let visit = try store.visit(exactly: flag.record)?.visit
            let who = visit.map { "\($0.citizenName), \(t.service($0.service.rawValue)), \(CommuneCatalogue.shared.commune($0.commune)?.name ?? $0.commune)" }
                ?? t["flagged.not_here"]
            print("\(SafeText.terminal(String(flag.record.suffix(8))))  \(SafeText.terminal(who))")
            print("          \(SafeText.terminal(try FlagText.message(flag, store: store, t)))")
        }
    }
}
