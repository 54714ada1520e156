import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import TextSafety

/// `fieldsync bundle`: sync without a network, through files (Protocol/README.md §9).
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Carry this laptop's visits to the hub on a USB stick, and bring the hub's answer back.",
        discussion: """
            `export` writes everything the hub has not received yet into one file, signed by this laptop and \
            sealed so that only the hub can read it: a lost stick gives nothing away. The hub's operator imports \
            it (`fieldsync-server bundle import`) and gives back an answer file; `import` applies it here as a \
            sync would. Nothing is lost if a bundle or an answer never arrives: export again.

            Example:
              fieldsync bundle export /media/usb/lan.fsb
              fieldsync bundle import /media/usb/answers/b-….answer.fsb
            """,
        subcommands: [Export.self, Import.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "export", abstract: "Write what the hub has not received into a bundle file.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The bundle file to write.") var file: String

        func run() async throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let exported = try BundleTransfer.export(store)
            // Written whole or not at all: a stick pulled out halfway leaves no half bundle.
            try exported.file.write(to: URL(fileURLWithPath: file), options: .atomic)
            print("wrote bundle \(exported.bundle) with \(exported.visits) visit(s) to \(SafeText.terminal(file)) "
                  + "(\(exported.file.count) bytes); the hub takes it for 30 days")
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "import", abstract: "Apply the hub's answer to a bundle.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The answer file the hub wrote.") var file: String

        func run() async throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let applied = try BundleTransfer.importAnswer(data, into: store)
            if applied.again {
                print("this answer was applied before: nothing to do")
                return
            }
            print("the hub received \(applied.acknowledged) visit(s); pulled \(applied.pulled) change(s), \(applied.conflicts) in conflict; "
                  + "rejected \(applied.rejected.count)")
            for rejected in applied.rejected { print("- \(rejected.id.suffix(8)): \(SafeText.terminal(rejected.message))") }
        }
    }
}
