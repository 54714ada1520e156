import ArgumentParser
import CLISupport
import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import Logging
import OfflineBundle
import ServiceLifecycle
import Synchronization
import SyncProtocol
import TextSafety
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `fieldsync peer`: two laptops of one commune sync with each other on a LAN, without the hub (Protocol/README.md §9.1).
struct PeerCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "peer", abstract: Catalogue.process["help.peer"],
                             discussion: Catalogue.process["help.peer.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync peer serve --port 7700\n  fieldsync peer sync 192.168.1.20:7700",
                             subcommands: [Serve.self, Sync.self])
    }

    struct Serve: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "serve", abstract: Catalogue.process["help.peer_serve"])
        }

        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Catalogue.process["help.opt.host"])) var host = "0.0.0.0"
        @Option(help: ArgumentHelp(Catalogue.process["help.opt.port"])) var port = 7700
        @Flag(help: ArgumentHelp(Catalogue.process["help.opt.once"])) var once = false

        func run() async throws {
            let path = try Paths.store(global)
            // Checked now, so a laptop that cannot serve says why before it listens.
            _ = try PeerExchange.hello(try StoreAccess.open(path, reading: true), nonce: "check")
            // Stateless nonces: a flood of hellos stores nothing and locks no real laptop out.
            let nonces = PeerNonces()
            let done = AsyncStream<Void>.makeStream()
            let router = Router()
            router.get("peer/hello") { _, _ -> Response in
                let nonce = nonces.issue()
                let hello = try PeerExchange.hello(try StoreAccess.open(path, reading: true), nonce: nonce)
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: try WireJSON.encoder.encode(hello))))
            }
            router.post("peer/exchange") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 256 << 20)
                do {
                    let (file, outcome) = try PeerExchange.answer(Data(buffer: body), into: try StoreAccess.open(path, reading: true)) { nonce in
                        nonces.take(nonce)
                    }
                    FileHandle.standardOutput.write(Data((Catalogue.process.format(
                        "peer.synced", outcome.peer, "\(outcome.sent)", "\(outcome.received)", "\(outcome.conflicts)") + "\n").utf8))
                    done.continuation.yield()
                    return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: file)))
                } catch let error as PeerError {
                    Console.warn("refused a laptop: \(error)")
                    return Response(status: .forbidden, body: ResponseBody(byteBuffer: ByteBuffer(string: "\(error)")))
                } catch let error as BundleError {
                    Console.warn("refused a laptop: \(error)")
                    return Response(status: .forbidden, body: ResponseBody(byteBuffer: ByteBuffer(string: "\(error)")))
                }
            }
            let host = self.host
            var logger = Logger(label: "fieldsync-peer")
            logger.logLevel = .warning  // a volunteer's terminal shows the address and each sync, not the server's workings
            let app = Application(router: router, configuration: .init(address: .hostname(host, port: port)),
                                  onServerRunning: { channel in
                                      FileHandle.standardOutput.write(Data("fieldsync peer serving on \(host):\(channel.localAddress?.port ?? 0)\n".utf8))
                                  },
                                  logger: logger)
            let server = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            let once = self.once
            try await withThrowingTaskGroup(of: Void.self) { group in
                // Until SIGTERM or SIGINT, or with --once until one sync is done: then a graceful shutdown.
                group.addTask {
                    defer { done.continuation.finish() }
                    try await server.run()
                }
                if once {
                    group.addTask {
                        for await _ in done.stream { break }
                        // The answer goes out before the server stops.
                        try await Task.sleep(for: .milliseconds(300))
                        await server.triggerGracefulShutdown()
                    }
                }
                try await group.waitForAll()
            }
        }
    }

    struct Sync: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "sync", abstract: Catalogue.process["help.peer_sync"])
        }

        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.opt.peer_address"])) var address: String

        func run() async throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let outcome = try await PeerExchange.sync(store, with: address)
            print(Catalogue.process.format("peer.synced", outcome.peer, "\(outcome.sent)", "\(outcome.received)", "\(outcome.conflicts)"))
        }
    }
}
