import ArgumentParser
import CLISupport
import SyncProtocol

/// `fieldsync-network`: the part of `fieldsync` that talks to the hub (`fieldsync enroll`, `fieldsync sync`).
@main
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Enrol with a hub and sync this laptop's visits.",
        version: FieldSyncVersion.current,
        subcommands: [EnrollCommand.self, SyncCommand.self, BundleCommand.self, PeerCommand.self])

    @OptionGroup var global: GlobalOptions
}
