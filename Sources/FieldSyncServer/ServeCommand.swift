import ArgumentParser
import Foundation
import HubServer
import Hummingbird
import Logging
import NIOCore

/// `fieldsync-server serve`: runs the sync server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the sync server (stops cleanly on SIGTERM or Ctrl-C).",
        discussion: """
            The first line on stdout names the address it listens on. --port 0 picks a free port.
            Logs go to stderr (LOG_LEVEL=debug for more).

            Example:
              fieldsync-server --db hub.sqlite serve --host 127.0.0.1 --port 0
            """)

    @OptionGroup var global: HubOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(help: "Largest clock drift accepted from a device, in seconds.") var maxDrift = 86_400
    @Option(help: ArgumentHelp("Fault injection for tests: cap the store at this many pages, as a full disk would.",
                               visibility: .hidden)) var maxDbPages: Int?

    func run() async throws {
        var logger = Logger(label: "fieldsync-server")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let service = try HubService(path: global.path, maxDriftMillis: UInt64(maxDrift) * 1000, maxPages: maxDbPages)
        let host = self.host
        let app = Application(
            router: HubRoutes(service: service).router(),
            configuration: ApplicationConfiguration(address: .hostname(host, port: port), serverName: "fieldsync-server"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("fieldsync-server listening on http://\(host):\(port)\n".utf8))
            },
            logger: logger)
        logger.info("hub store open", metadata: ["db": "\(global.path)", "hubReplica": "\(service.replicaID)"])
        try await app.runService()
        logger.info("stopped")
    }
}
