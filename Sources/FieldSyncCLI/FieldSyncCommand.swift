import ArgumentParser
import CLISupport
import Foundation
import Localization
import SyncProtocol

/// `fieldsync`: the volunteer's offline tool for logging citizen-assistance visits.
@main
struct FieldSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Log citizen-assistance visits offline, on the volunteer's laptop.",
        discussion: """
            Every command works without a network. The store is one SQLite file, by default \
            ~/.local/share/fieldsync/store.sqlite; another with --store or FIELDSYNC_STORE.

            Example:
              fieldsync init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune \\
                  "Ba Đình"
              fieldsync log --service vneid-level2 --outcome done --name \\
                  "Trần Văn Bình" --cccd 001203012345
              fieldsync list --search "tran van binh"
            """,
        version: FieldSyncVersion.current,
        subcommands: [
            InitCommand.self, LogCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self,
            DeleteCommand.self, StatusCommand.self, FlaggedCommand.self, CommunesCommand.self, PassphraseCommand.self,
            UnlockCommand.self, LockCommand.self, RecoverCommand.self, ConsentCommand.self, EnrollStub.self, SyncStub.self,
            BundleStub.self, PeerStub.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    /// Hands `enroll`, `sync` and `bundle` to `fieldsync-network`; parses everything else here.
    static func main() {
        var arguments = CommandLine.arguments
        // `fieldsync help sync` is `fieldsync sync --help`, answered by fieldsync-network.
        if arguments.count >= 3, arguments[1] == "help", NetworkHandoff.commands.contains(arguments[2]) {
            arguments = [arguments[0], arguments[2], "--help"]
        }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let message = CommandSuggestion.check(Array(arguments.dropFirst()), commands: names, program: "fieldsync") {
            Console.note(message)
            Foundation.exit(64)
        }
        if let command = NetworkHandoff.subcommand(in: arguments), NetworkHandoff.commands.contains(command) {
            let reason = NetworkHandoff.exec(arguments)
            Console.note("Error: \(reason)")
            Foundation.exit(1)
        }
        main(nil)
    }
}

/// Listed in `fieldsync --help`; `fieldsync enroll` runs in `fieldsync-network`.
struct EnrollStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enroll", abstract: "Enrol this laptop with a hub, using a one-time code from a coordinator.")
}

/// Listed in `fieldsync --help`; `fieldsync sync` runs in `fieldsync-network`.
struct SyncStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync", abstract: "Push this laptop's visits to the hub and pull the commune's.")
}

/// Listed in `fieldsync --help`; `fieldsync bundle` runs in `fieldsync-network`.
struct BundleStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle", abstract: "Carry this laptop's visits to the hub on a USB stick, and bring the hub's answer back.")
}

/// Listed in `fieldsync --help`; `fieldsync peer` runs in `fieldsync-network`.
struct PeerStub: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "peer", abstract: "Sync with another laptop of this commune on the local network, without the hub.")
}
