import ArgumentParser
import CLISupport
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization
import Platform
import TextSafety
import SyncProtocol

/// `fieldsync`: the volunteer's offline tool for logging citizen-assistance visits.
@main
struct FieldSyncCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
            commandName: "fieldsync",
            abstract: Catalogue.process["help.fieldsync"],
            discussion: Catalogue.process["help.fieldsync.discussion"] + "\n\n" + Catalogue.process["help.example"] + """

                  fieldsync init --volunteer "Nguyễn Thị Lan" --team T-00004-01 --commune \\
                      "Ba Đình"
                  fieldsync log --service vneid-level2 --outcome done --name \\
                      "Trần Văn Bình" --cccd 001203012345
                  fieldsync list --search "tran van binh"
                """,
            version: FieldSyncVersion.current,
            subcommands: [
                AppStub.self, InitCommand.self, LogCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self,
                DeleteCommand.self, StatusCommand.self, FlaggedCommand.self, ReviewCommand.self, CommunesCommand.self, PassphraseCommand.self,
                UnlockCommand.self, LockCommand.self, RecoverCommand.self, ConsentCommand.self, KindsCommand.self, SessionCommand.self, HouseholdCommand.self, DueCommand.self, ProgressCommand.self,
                EnrollStub.self, SyncStub.self,
                BundleStub.self, PeerStub.self, UpdateStub.self,
            ])
    }

    @OptionGroup var global: GlobalOptions

    /// Hands `app`, `enroll`, `sync`, `bundle` and `peer` to `fieldsync-network`; parses everything else here.
    static func main() {
        var arguments = CommandLine.arguments
        // `fieldsync help sync` is `fieldsync sync --help`, answered by fieldsync-network.
        if arguments.count >= 3, arguments[1] == "help", NetworkHandoff.commands.contains(arguments[2]) {
            arguments = [arguments[0], arguments[2], "--help"]
        }
        if var command = direct(arguments) {
            do { try command.run() } catch { Console.exit(error, command: self) }
            return
        }
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let message = CommandSuggestion.check(Array(arguments.dropFirst()), commands: names, program: "fieldsync") {
            Console.note(message)
            ProcessImage.terminate(64)
        }
        if let command = NetworkHandoff.subcommand(in: arguments), NetworkHandoff.commands.contains(command) {
            let reason = NetworkHandoff.exec(arguments)
            Console.note(Catalogue.process["cli.error"] + ": \(reason)")
            ProcessImage.terminate(1)
        }
        do {
            var command = try parseAsRoot(Array(arguments.dropFirst()))
            try command.run()
        } catch {
            Console.exit(error, command: self)
        }
    }

    /// The everyday commands, parsed alone when named: building the whole tree of commands (reflection over every
    /// command's options) is most of `fieldsync log`'s start-up (issue 34).
    static let everyday: [any ParsableCommand.Type] = [LogCommand.self, ListCommand.self, ShowCommand.self, EditCommand.self, StatusCommand.self]

    /// The command `arguments` name when it is an everyday one and its arguments parse; nil otherwise (help, an error,
    /// another command), for the whole tree to answer as it always does.
    static func direct(_ arguments: [String]) -> (any ParsableCommand)? {
        guard !HelpRequest.isShown, let index = NetworkHandoff.subcommandIndex(in: arguments),
              let type = everyday.first(where: { $0.configuration.commandName == arguments[index] })
        else { return nil }
        var rest = Array(arguments.dropFirst())
        rest.remove(at: index - 1)
        // Losing this error is safe: the whole tree parses the same arguments again and reports it with the full usage.
        return try? type.parseAsRoot(rest)
    }
}

/// Listed first in `fieldsync --help`; `fieldsync app` runs in `fieldsync-network` (it carries the web server).
struct AppStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "app", abstract: Catalogue.process["help.app"])
    }
}

/// Listed in `fieldsync --help`; `fieldsync enroll` runs in `fieldsync-network`.
struct EnrollStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "enroll", abstract: Catalogue.process["help.enroll"])
    }
}

/// Listed in `fieldsync --help`; `fieldsync sync` runs in `fieldsync-network`.
struct SyncStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "sync", abstract: Catalogue.process["help.sync"])
    }
}

/// Listed in `fieldsync --help`; `fieldsync bundle` runs in `fieldsync-network`.
struct BundleStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "bundle", abstract: Catalogue.process["help.bundle"])
    }
}

/// Listed in `fieldsync --help`; `fieldsync peer` runs in `fieldsync-network`.
struct PeerStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "peer", abstract: Catalogue.process["help.peer"])
    }
}

/// Listed in `fieldsync --help`; `fieldsync update` runs in `fieldsync-network`.
struct UpdateStub: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "update", abstract: Catalogue.process["help.update"])
    }
}
