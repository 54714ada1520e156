import ArgumentParser
import Foundation
import HubCore

/// `fieldsync-server incarnation`: the store's incarnation, or a new one after restoring a backup.
struct IncarnationCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incarnation",
        abstract: "Show the store's incarnation, or take a new one so every laptop sends everything again.",
        discussion: """
            Every push answer carries the incarnation; a laptop that sees it change sends again everything it \
            holds and pulls from the start. The hub takes a new one by itself when it finds it was restored from \
            an older copy (SQLite: the high-water file beside the store; both: a laptop pulling past every change \
            the store holds). After restoring a backup, --new makes every laptop send again at its next sync, \
            whether or not one had pulled past the backup.
            Examples:
              fieldsync-server --db hub.sqlite incarnation
              fieldsync-server --database "$FIELDSYNC_DATABASE" incarnation --new
            """)
    @OptionGroup var global: HubOptions
    @Flag(help: "Take a new incarnation.") var new = false

    func run() async throws {
        let take = new
        let incarnation = try await global.withStorage(readOnly: !take) { take ? try await $0.takeNewIncarnation() : try await $0.incarnation() }
        if take {
            try await global.audit(.storeRecover, scope: "", detail: ["incarnation": incarnation])
            print("new incarnation \(incarnation): every laptop sends again everything it holds at its next sync")
        } else {
            print(incarnation.isEmpty ? "no incarnation yet (the store has not served a push)" : incarnation)
        }
    }
}
