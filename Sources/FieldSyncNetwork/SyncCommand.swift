import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import Localization
import TextSafety

/// `fieldsync sync`: push then pull, checkpointing after every batch and page.
struct SyncCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "sync", abstract: Catalogue.process["help.sync"],
                             discussion: Catalogue.process["help.sync.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync sync\n  fieldsync sync --json")
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

    func run() async throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        if let enrollment = try store.enrollment(), enrollment.insecureHTTP, enrollment.server.lowercased().hasPrefix("http://") {
            Console.warn(Catalogue.process.format("sync.plain_http", enrollment.server))
        }
        // On a terminal: a progress line, or JSON lines with --json (both on stderr); with no terminal, neither.
        let line = ProgressLine()
        let json = self.json
        let progress: (@Sendable (SyncProgress) -> Void)? = Console.isTerminal
            ? { @Sendable report in json ? Console.write(line.json(report) + "\n") : Console.progress(line.text(report)) } : nil
        let summary = try await SyncClient().sync(store, progress: progress)
        if Console.isTerminal && !json { Console.endProgress() }
        if json {
            try Console.printJSON(summary)
            return
        }
        let t = Catalogue.process
        if let why = summary.reidentified { Console.note(t.format("sync.note", why)) }
        if summary.hubRestored { Console.note(t["sync.hub_restored"]) }
        print(summary.sentence(t, seconds: line.elapsed))
        for line in summary.myConflicts { print("- \(SafeText.terminal(line))") }
        for line in summary.afterwards(t) { print(SafeText.terminal(line)) }
    }
}
