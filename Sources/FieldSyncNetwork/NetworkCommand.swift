import ArgumentParser
import CLISupport

/// `fieldsync-network`: the part of `fieldsync` that talks to the hub (`fieldsync enroll`, `fieldsync sync`).
@main
struct NetworkCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync",
        abstract: "Enrol with a hub and sync this laptop's visits.",
        subcommands: [EnrollCommand.self, SyncCommand.self])

    @OptionGroup var global: GlobalOptions
}
