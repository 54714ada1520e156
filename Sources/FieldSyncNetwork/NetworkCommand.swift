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
        subcommands: [AppCommand.self, EnrollCommand.self, SyncCommand.self, BundleCommand.self, PeerCommand.self, UpdateCommand.self])

    @OptionGroup var global: GlobalOptions

    /// Runs the command, telling errors in the person's language.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            Console.exit(error, command: self)
        }
    }
}
