import ArgumentParser
import CLISupport
import Foundation

/// `fieldsync`: the volunteer's offline tool for logging citizen-assistance visits.
@main
struct FieldSyncCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Log citizen-assistance visits offline, on the volunteer's laptop.",
        discussion: """
            Every command works without a network. The store is one SQLite file; give it with --store \
            or FIELDSYNC_STORE.

            Example:
              export FIELDSYNC_STORE=~/fieldsync.sqlite
              fieldsync init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune 00004
              fieldsync log --service vneid-level2 --outcome done --name "Trần Văn Bình" --cccd 001203012345
              fieldsync list --search "tran van binh"
            """,
        version: "0.1.0",
        subcommands: [
            InitCommand.self, LogCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self,
            DeleteCommand.self, StatusCommand.self, FlaggedCommand.self, EnrollStub.self, SyncStub.self,
        ]
    )

    @OptionGroup var global: GlobalOptions

    /// Hands `enroll` and `sync` to `fieldsync-network`; parses everything else here.
    static func main() {
        let arguments = CommandLine.arguments
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
