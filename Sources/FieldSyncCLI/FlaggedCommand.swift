import ArgumentParser
import CLISupport
import FieldStore
import TextSafety

/// `fieldsync flagged`: the visits waiting for a correction, and how to correct each.
struct FlaggedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flagged",
        abstract: "List visits the hub refused or this laptop cannot send, with how to fix each.",
        discussion: """
            A flag ends when the visit is corrected (it is sent at the next sync) or deleted.

            Example:
              fieldsync flagged
              fieldsync flagged --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let flagged = try store.flaggedVisits()
        if json { return try Console.printJSON(flagged) }
        guard !flagged.isEmpty else { return Console.note("no visit is flagged") }
        for flag in flagged {
            let visit = try store.visit(exactly: flag.record)?.visit
            let who = visit.map { "\($0.citizenName), \($0.service.rawValue), commune \($0.commune)" } ?? "visit not on this laptop"
            print("\(SafeText.terminal(String(flag.record.suffix(8))))  \(SafeText.terminal(who))")
            print("          \(flag.code): \(SafeText.terminal(flag.message))")
        }
    }
}
