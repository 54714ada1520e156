import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import Localization
import Platform
import Releases
import SyncProtocol
import TextSafety

/// `fieldsync update`: downloads the laptop package the hub offers, checks it against the pinned release key and
/// installs it; the store is never touched (issue 34).
struct UpdateCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "update", abstract: Catalogue.process["help.update"],
                             discussion: Catalogue.process["help.update.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync update\n  fieldsync update --download-only")
    }

    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.update.download_only"])) var downloadOnly = false

    func run() async throws {
        let t = Catalogue.process
        let path = try Paths.store(global)
        // Unlocked: an encrypted store keeps the device token sealed. The store is only read.
        let store = try StoreAccess.open(path, reading: true)
        let line = ProgressLine()
        let offer = try await LaptopUpdate.fetch(try LaptopUpdate.source(store, storePath: path), progress: Console.isTerminal ? { @Sendable held, size in
            Console.progress(t.format("update.progress", "\(held * 100 / max(1, size))", "\(Int(line.elapsed))"))
        } : nil)
        if Console.isTerminal { Console.endProgress() }
        switch offer {
        case .none: print(t["update.none_published"])
        case .current(let installed): print(t.format("update.current", installed))
        case .downloaded(let version, let file):
            guard !downloadOnly else {
                return print(t.format("update.downloaded", version, LaptopUpdate.installCommand(file).joined(separator: " ")))
            }
            print(t.format("update.installing", version))
            let installed = try LaptopUpdate.install(file, interactive: true)
            guard installed.status == 0 else { throw UpdateError.installFailed(installed.command, installed.status) }
            print(t.format("update.installed", version))
        }
    }
}
