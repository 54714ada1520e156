import ArgumentParser
import Foundation
import HubCore
import HubSQLite
import OfflineBundle

/// `fieldsync-server bundle`: offline bundles carried from laptops (Protocol/README.md §9).
struct BundleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Import offline bundles that laptops wrote with `fieldsync bundle export`.",
        subcommands: [Import.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Merge bundles exactly as pushes, and write each laptop's answer bundle.",
            discussion: """
                Each bundle is checked (sealed to this hub, signed by the enrolled device it names, not revoked,
                not expired, not imported before) and merged as that laptop's sync would be: the same checks,
                merge report and audit trail. For each one an answer is written into --out, sealed to the laptop
                and signed by this hub: `fieldsync bundle import FILE` on the laptop applies it.
                A refused bundle writes nothing; the others go on. Exit status 1 if any was refused.
                Example:
                  fieldsync-server --db hub.sqlite bundle import /media/usb/*.fsb --out /media/usb/answers
                """)
        @OptionGroup var global: HubOptions
        @Argument(help: "Bundle files.") var files: [String]
        @Option(help: "Folder for the answer bundles (default: the current folder).") var out: String = "."

        func run() async throws {
            let keys = try global.keys.bundleKeys()
            let files = self.files, out = self.out
            let refused = try await global.withStorage { storage in
                let importer = BundleImport(storage: storage, keys: keys)
                var refused = 0
                for file in files {
                    do {
                        let data = try Data(contentsOf: URL(fileURLWithPath: file))
                        let outcome = try await importer.run(data)
                        let answer = URL(fileURLWithPath: out).appendingPathComponent("\(outcome.bundle).answer.fsb")
                        try outcome.answer.write(to: answer, options: .atomic)
                        let received = outcome.responses.reduce(0) { $0 + $1.received }
                        let conflicts = outcome.responses.reduce(0) { $0 + $1.conflicts + $1.editVsDelete }
                        print("\(file): device \(outcome.device), \(received) visits received, \(conflicts) conflicts; "
                              + "answer with \(outcome.pulled) changes written to \(answer.path)")
                    } catch let error as BundleError {
                        refused += 1
                        FileHandle.standardError.write(Data("\(file): refused: \(error)\n".utf8))
                    } catch let error as HubError {
                        refused += 1
                        FileHandle.standardError.write(Data("\(file): refused: \(error.description)\n".utf8))
                    } catch let error as CocoaError {
                        // A missing or unreadable file, or a folder: told, and the other files go on.
                        refused += 1
                        var isFolder: ObjCBool = false
                        let why = !FileManager.default.fileExists(atPath: file, isDirectory: &isFolder) ? "no such file"
                            : isFolder.boolValue ? "a folder, not a bundle file" : "cannot be read (\(error.code.rawValue)): check its permissions"
                        FileHandle.standardError.write(Data("\(file): \(why)\n".utf8))
                    }
                }
                return refused
            }
            if refused > 0 { throw ExitCode(1) }
        }
    }
}
