import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import Localization
import TextSafety

/// `fieldsync bundle`: sync without a network, through files (Protocol/README.md §9).
struct BundleCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "bundle", abstract: Catalogue.process["help.bundle"],
                             discussion: Catalogue.process["help.bundle.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync bundle export /media/usb/lan.fsb\n  fieldsync bundle import /media/usb/answers/b-….answer.fsb",
                             subcommands: [Export.self, Import.self])
    }

    struct Export: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "export", abstract: Catalogue.process["help.bundle_export"])
        }

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.opt.bundle_file"])) var file: String

        func run() async throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let exported = try BundleTransfer.export(store)
            // Written whole or not at all: a stick pulled out halfway leaves no half bundle.
            try exported.file.write(to: URL(fileURLWithPath: file), options: .atomic)
            let t = Catalogue.process
            print(t.format("bundle.written", t.number(exported.visits), SafeText.terminal(file), t.number(exported.file.count)))
        }
    }

    struct Import: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "import", abstract: Catalogue.process["help.bundle_import"])
        }

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.opt.answer_file"])) var file: String

        func run() async throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let data = try Data(contentsOf: URL(fileURLWithPath: file))
            let applied = try BundleTransfer.importAnswer(data, into: store)
            let t = Catalogue.process
            if applied.again {
                print(t["bundle.again"])
                return
            }
            print(t.format("bundle.applied", t.number(applied.acknowledged), t.number(applied.pulled), t.number(applied.conflicts),
                           t.number(applied.rejected.count)))
            for rejected in applied.rejected {
                print(t.format("sync.rejected_visit", String(rejected.id.suffix(8)), SafeText.terminal(rejected.message)))
            }
        }
    }
}
