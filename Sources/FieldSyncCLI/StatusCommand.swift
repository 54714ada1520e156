import ArgumentParser
import CLISupport
import FieldStore
import Localization
import TextSafety

/// `fieldsync status`: who the store belongs to and what is waiting to sync.
struct StatusCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "status", abstract: Catalogue.process["help.status"],
                             discussion: Catalogue.process["help.example"] + "\n  fieldsync status --json")
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        let status = try store.status()
        if json {
            try Console.printJSON(status)
            return
        }
        let t = Catalogue.process
        let encryption = switch status.lock {
        case .none: t["status.lock_none"]
        case .locked: t["status.lock_locked"]
        case .unlocked: t["status.lock_unlocked"]
        }
        let lines: [(String, String)] = [
            (t["status.volunteer"], t.format("status.volunteer_team", status.volunteer, status.team)),
            (t["status.commune"], "\(status.communeName) (\(status.commune)), \(status.province)"),
            (t["status.visits"], t.format("status.visits_value", t.number(status.visits), t.number(status.deleted))),
            (t["status.unsynced"], t.format("status.unsynced_value", t.number(status.unsynced))),
            (t["status.flagged"], status.flagged == 0 ? t["status.none"] : t.format("status.flagged_value", t.number(status.flagged))),
            (t["status.server"], status.server ?? t["status.not_enrolled"]),
            (t["status.last_sync"], status.lastSync.map { t.time($0) + " (" + t["times_vn"] + ")" } ?? t["never"]),
            (t["status.encryption"], encryption),
            (t["status.store"], t.format("status.store_value", status.store, "\(status.schema)", t.number(Int(status.seq)))),
        ]
        let width = lines.map(\.0.count).max() ?? 0
        for (key, value) in lines { print(key.padded(to: width) + "  " + SafeText.terminal(value)) }
        // Which visits need a correction is read only when the store is readable (their comments are the coordinator's).
        if status.lock != .locked {
            for (stored, review) in try store.needsCorrection() {
                print("  - " + SafeText.terminal(t.format("review.needs_correction_line", String(stored.visit.id.suffix(8)), stored.visit.citizenName,
                                                          review.comment ?? t.review(review.state.rawValue))))
            }
        }
        for flag in try store.flaggedVisits() {
            let id = SafeText.terminal(String(flag.record.suffix(8)))
            print("  - " + t.format("status.flag_line", id, SafeText.terminal(try FlagText.message(flag, store: store, t))))
        }
    }
}
