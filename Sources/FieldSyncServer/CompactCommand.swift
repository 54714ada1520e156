import ArgumentParser
import Foundation
import HubCore
import HubSQLite

/// `fieldsync-server compact`: removes deleted visits every active laptop has already pulled.
struct CompactCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compact",
        abstract: "Remove deleted visits that every active laptop has already received (the tombstone horizon).",
        discussion: """
            A laptop counts as active unless it was revoked or has not synced for --grace-days. Deleted
            visits below the lowest active laptop's pull checkpoint leave the store (their id stays, without
            data), with their conflict entries and quarantined payloads, as do the entries of erased visits.
            Laptops drop their copies at their next sync; a laptop that comes back after the grace period
            drops them too, and whatever it edited meanwhile is kept in an edit-vs-delete conflict entry.
            A deleted visit with an open conflict entry waits until the entry is resolved.
            Examples:
              fieldsync-server --db hub.sqlite compact --dry-run
              fieldsync-server --db hub.sqlite compact --grace-days 60
            """)
    @OptionGroup var global: HubOptions
    @Option(help: "Days without a sync after which a laptop no longer holds the horizon back.") var graceDays: Double = 30
    @Flag(help: "Only tell what would be removed.") var dryRun = false
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard graceDays.isFinite, graceDays >= 0, graceDays <= 3_650 else {
            throw ValidationError("--grace-days must be a number of days from 0 to 3650")
        }
    }

    func run() async throws {
        let done = try await global.withStorage {
            try await $0.compact(grace: graceDays * 86_400, dryRun: dryRun, now: Date())
        }
        if json { return try printJSON(done) }
        let verb = dryRun ? "would remove" : "removed"
        print("horizon: change \(done.horizon)" + (done.heldBy.isEmpty ? " (no active laptop)" : ", held by \(done.heldBy.joined(separator: ", "))"))
        if !done.excluded.isEmpty {
            print("left out (revoked, or silent for more than \(graceDays.formatted()) days): \(done.excluded.joined(separator: ", "))")
        }
        print("\(verb) \(done.tombstones) deleted visits and \(done.erasedEntries) conflict entries or payloads of erased visits")
    }
}
