import ArgumentParser
import CLISupport
import FieldApp
import Foundation
import Localization

/// `fieldsync app`: the volunteer's app in the browser, on this laptop only (127.0.0.1), with no network needed.
struct AppCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "app", abstract: Catalogue.process["help.app"],
                             discussion: Catalogue.process["help.app.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync app\n  fieldsync app --no-browser")
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.app.port"])) var port = 0
    @Option(help: ArgumentHelp(Catalogue.process["help.app.idle"])) var idleMinutes = 120
    @Flag(help: ArgumentHelp(Catalogue.process["help.app.no_browser"])) var noBrowser = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError(Catalogue.process["app.bad_port"]) }
        guard idleMinutes >= 1 else { throw ValidationError(Catalogue.process["app.bad_idle"]) }
    }

    func run() async throws {
        let server = AppServer(storePath: try Paths.store(global), port: port, idle: .seconds(idleMinutes * 60))
        let noBrowser = self.noBrowser
        try await server.run { launchFile, address in
            let t = Catalogue.process
            // The launch file, not the address: only this user can read the file, and the key it carries opens the app once.
            FileHandle.standardOutput.write(Data((t.format("app.ready", address, launchFile) + "\n").utf8))
            if !noBrowser { Self.openBrowser(launchFile) }
        }
        print(Catalogue.process["app.stopped"])
    }

    /// Opens the system's browser on the launch file (`$BROWSER`, else `xdg-open`); says so when none is found.
    static func openBrowser(_ file: String) {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["BROWSER"], "/usr/bin/xdg-open", "/usr/bin/sensible-browser"].compactMap { $0 }.filter { !$0.isEmpty }
        for program in candidates where FileManager.default.isExecutableFile(atPath: program) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = [file]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
                return
            } catch {
                continue
            }
        }
        Console.warn(Catalogue.process.format("app.no_browser", file))
    }
}
