import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import TextSafety

/// `fieldsync sync`: push then pull, checkpointing after every batch and page.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Push this laptop's visits to the hub and pull the commune's.",
        discussion: """
            Safe to interrupt at any point (Ctrl-C, a dropped network, a hub restart): run it again and it \
            resumes where it stopped; nothing is lost or sent twice.

            Example:
              fieldsync sync
              fieldsync sync --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print the summary as JSON.") var json = false

    func run() async throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        if let enrollment = try store.enrollment(), enrollment.insecureHTTP, enrollment.server.lowercased().hasPrefix("http://") {
            Console.warn("syncing with \(enrollment.server) over plain HTTP, as allowed at enrolment: anyone on the network can read it")
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
        if let why = summary.reidentified { Console.note("note: \(why)") }
        if summary.hubRestored {
            Console.note("note: the hub was restored from a backup; this laptop sent everything it holds again, so nothing is lost")
        }
        print("pushed \(summary.pushed) (new or changed at the hub \(summary.fastForward), already there \(summary.alreadyKnown), "
              + "combined with other laptops' changes \(summary.merged), in conflict \(summary.conflicts), "
              + "edit met a deletion \(summary.editVsDelete)), pulled \(summary.pulled), rejected \(summary.rejected.count) "
              + "in " + String(format: "%.1f", line.elapsed) + " s (↑ \(ProgressLine.bytes(summary.bytesSent)), ↓ \(ProgressLine.bytes(summary.bytesReceived)))")
        for line in summary.myConflicts { print("- \(SafeText.terminal(line))") }
        if summary.compacted > 0 {
            print("\(summary.compacted) deleted visit(s) removed from this laptop: deleted long enough ago that the hub no longer keeps them either")
        }
        if summary.pseudonymsWaiting > 0 {
            print("\(summary.pseudonymsWaiting) citizen ID(s) wait for their pseudonym (the hub's daily limit for this laptop, "
                  + "or a hub that makes none): they were sent without it and get it at a later sync; nothing is lost")
        }
        if summary.flagged > 0 {
            print("\(summary.flagged) visit(s) are flagged for correction: `fieldsync flagged` lists them with how to fix each")
        }
        for rejected in summary.rejected {
            let id = SafeText.terminal(String(rejected.id.suffix(8)))
            print("- visit \(id) was refused by the hub: \(SafeText.terminal(rejected.message)). "
                  + "Fix it with `fieldsync edit \(id) …` and sync again.")
        }
    }
}
