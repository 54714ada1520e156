import ArgumentParser
import Foundation
import SyncProtocol

/// `fieldsync-server`: the hub that merges every laptop's visits, and the coordinators' tools.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-server",
        abstract: "The FieldSync hub: sync server, enrolment, export and reports.",
        discussion: """
            The central store is one SQLite file (--db, default $FIELDSYNC_DB or fieldsync-hub.sqlite).

            Example:
              fieldsync-server --db hub.sqlite serve --host 0.0.0.0 --port 8080
              fieldsync-server --db hub.sqlite enrollment-code --team T-00004-01 \\
                  --commune 00004
              fieldsync-server --db hub.sqlite report merge
            """,
        version: FieldSyncVersion.current,
        subcommands: [ServeCommand.self, EnrollmentCodeCommand.self, DevicesCommand.self, ExportCommand.self,
                      ReportCommand.self, ConflictsCommand.self, DuplicatesCommand.self])

    @OptionGroup var global: HubOptions
}

/// Options every `fieldsync-server` command takes, before or after its name.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The hub's store file (default: $FIELDSYNC_DB or fieldsync-hub.sqlite).",
                                            valueName: "path"))
    var db: String?

    /// The store path.
    var path: String {
        db ?? ProcessInfo.processInfo.environment["FIELDSYNC_DB"] ?? "fieldsync-hub.sqlite"
    }
}
