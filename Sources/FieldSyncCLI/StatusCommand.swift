import ArgumentParser
import CLISupport
import FieldStore
import TextSafety

/// `fieldsync status`: who the store belongs to and what is waiting to sync.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the store's owner, replica id, counts and unsynced visits.",
        discussion: """
            Example:
              fieldsync status --json
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        let status = try store.status()
        if json {
            try Console.printJSON(status)
            return
        }
        let encryption = switch status.lock {
        case .none: "none: set a passphrase with `fieldsync passphrase`"
        case .locked: "locked (`fieldsync unlock` to read; `log` works)"
        case .unlocked: "unlocked for today (`fieldsync lock` to close)"
        }
        let lines: [(String, String)] = [
            ("store", "\(status.store) (schema \(status.schema))"),
            ("volunteer", "\(status.volunteer), team \(status.team)"),
            ("commune", "\(status.commune) \(status.communeName) (\(status.province))"),
            ("replica", "\(status.replica), \(status.seq) writes"),
            ("visits", "\(status.visits) (+ \(status.deleted) deleted)"),
            ("unsynced", "\(status.unsynced) visits with changes the hub has not acknowledged"),
            ("flagged", status.flagged == 0 ? "none" : "\(status.flagged) visits need a correction (listed below)"),
            ("server", status.server ?? "not enrolled (fieldsync enroll --server URL --code CODE)"),
            ("last sync", status.lastSync ?? "never"),
            ("encryption", encryption),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines { print(key.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + SafeText.terminal(value)) }
        for flag in try store.flaggedVisits() {
            print("  - visit \(SafeText.terminal(String(flag.record.suffix(8)))): \(SafeText.terminal(flag.message)) (fieldsync edit \(SafeText.terminal(String(flag.record.suffix(8)))) …)")
        }
    }
}
