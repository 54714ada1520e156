import ArgumentParser
import Foundation
import HubCore
import HubSQLite

/// `fieldsync-server keys show|rotate`: the hub's pseudonym key (Protocol/THREATS.md, "Rotating the key").
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show or rotate the hub's pseudonym key (kept in its key file, never in the store).",
        subcommands: [Show.self, Rotate.self])

    /// `keys show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the key version in use and where its key file is.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite keys show
                """)
        @OptionGroup var global: HubOptions

        func run() async throws {
            let inUse = try await global.withStorage { try await $0.pseudonymKeyInUse() }
            let file = try global.keys.pseudonymKey()
            print("key file: \(global.keys.path) (\(file.map { "version \($0.version)" } ?? "missing or without a pseudonym key"))")
            print("in use:   " + (inUse.map { "version \($0.version), public key \($0.publicKey.prefix(16))…" } ?? "none yet (made at the first serve)"))
        }
    }

    /// `keys rotate`.
    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the pseudonym key with a new version; the old one is destroyed.",
            discussion: """
                When: the key file (or a backup of it) may have been copied, or on a schedule the
                province sets. The hub must be stopped (a SQLite hub's lock is checked; every
                process of a PostgreSQL hub must be restarted after).

                What follows: new visits get pseudonyms under the new version at once; each laptop
                re-derives the pseudonyms of the visits whose citizen ID it still holds at its next
                sync. Until then, duplicates across the two versions are not matched. Pseudonyms no
                laptop can re-derive stay under the old version and can no longer be recomputed by
                anyone. Back up the new key file at once (Tools/backup-hub.sh).

                Example:
                  fieldsync-server --db hub.sqlite keys rotate
                """)
        @OptionGroup var global: HubOptions

        func run() async throws {
            let lock = global.databaseURL == nil ? try StoreLock(store: global.path) : nil
            let keys = global.keys
            let fresh = try await global.withStorage { try await HubSecrets.rotate(keys, storage: $0) }
            try await global.audit(.keyRotate, scope: "hub", detail: ["version": "\(fresh.version)"])
            lock?.release()
            print("pseudonym key rotated: version \(fresh.version) in \(keys.path); back the file up now"
                  + (global.databaseURL == nil ? "" : ", copy it to every hub process and restart them"))
        }
    }
}
