import FieldStore
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// The volunteer's app (`fieldsync app`): a web server on 127.0.0.1 over the laptop's store, entered through a launch
/// file only this user can read. It stops on Thoát, on SIGINT/SIGTERM, or after `idle` without a page asked for.
public struct AppServer: Sendable {
    /// The store.
    public let storePath: String
    /// The port; 0 takes a free one.
    public var port: Int
    /// How long the app waits without a page asked for before it stops.
    public var idle: Duration
    /// The private folder for the launch file; nil: this user's runtime folder.
    public var launchFolder: String?

    /// An app over the store at `storePath`.
    public init(storePath: String, port: Int = 0, idle: Duration = .seconds(2 * 3_600), launchFolder: String? = nil) {
        self.storePath = storePath
        self.port = port
        self.idle = idle
        self.launchFolder = launchFolder
    }

    /// The app's routes behind its guard.
    static func router(storePath: String, gate: AppGate, hosts: @escaping @Sendable () -> Set<String>,
                       rekey: @escaping @Sendable (String) -> Void, quit: @escaping @Sendable () -> Void) -> Router<AppRequestContext> {
        let router = Router(context: AppRequestContext.self)
        router.add(middleware: AppMiddleware(gate: gate, hosts: hosts))
        AppRoutes(path: storePath, gate: gate, sync: SyncRun(), rekey: rekey, quit: quit).add(to: router)
        return router
    }

    /// Runs the app until it stops. `ready` gets the launch file to open in the browser and the app's address.
    /// - Throws: the store's error when it cannot be opened (before anything listens); `AppError` without a private folder.
    public func run(ready: @escaping @Sendable (_ launchFile: String, _ address: String) -> Void) async throws {
        _ = try FieldStore.open(at: storePath)
        let gate = AppGate()
        let launch = try launchFolder.map { LaunchFile(path: $0 + "/app.html") } ?? LaunchFile.forCurrentUser()
        let hosts = Mutex<Set<String>>([])
        let address = Mutex("")
        let quit = AsyncStream<Void>.makeStream()
        let logger = {
            var logger = Logger(label: "fieldsync-app")
            logger.logLevel = .warning
            return logger
        }()
        let router = Self.router(storePath: storePath, gate: gate, hosts: { hosts.withLock { $0 } },
                                 rekey: { key in
                                     // Losing this error is safe: the old key is used up, so the file opens nothing; `fieldsync app` writes a new one.
                                     try? launch.write(address: address.withLock { $0 }, key: key)
                                 },
                                 quit: { quit.continuation.yield() })
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                let base = "http://127.0.0.1:\(port)"
                hosts.withLock { $0 = ["127.0.0.1:\(port)", "localhost:\(port)"] }
                address.withLock { $0 = base }
                do {
                    try launch.write(address: base, key: gate.launchKey)
                    ready(launch.path, base)
                } catch {
                    logger.error("cannot write the launch file", metadata: ["path": "\(launch.path)", "error": "\(error)"])
                    quit.continuation.yield()
                }
            },
            logger: logger)
        let server = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let idle = self.idle
        defer { launch.remove() }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { quit.continuation.finish() }
                try await server.run()
            }
            group.addTask {
                // Thoát, or the idle time: the answer goes out, then the server stops.
                let ticks = AsyncStream<Void> { continuation in
                    let task = Task {
                        while !Task.isCancelled {
                            // Losing this error is safe: a cancelled sleep ends the loop at its next test.
                            try? await Task.sleep(for: .seconds(min(30, max(1, idle.components.seconds / 4))))
                            if gate.idle >= idle { continuation.yield() }
                        }
                    }
                    continuation.onTermination = { _ in task.cancel() }
                }
                await withTaskGroup(of: Void.self) { waiters in
                    waiters.addTask { for await _ in quit.stream { return } }
                    waiters.addTask { for await _ in ticks { return } }
                    await waiters.next()
                    waiters.cancelAll()
                }
                gate.closeAll()
                try await Task.sleep(for: .milliseconds(200))
                await server.triggerGracefulShutdown()
            }
            try await group.waitForAll()
        }
    }
}
