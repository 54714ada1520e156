import ArgumentParser
import Foundation
import Platform
import HubServer
import HubCore
import HubSQLite
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import SyncProtocol
import TextSafety

/// `fieldsync-server serve`: runs the sync server until SIGTERM or SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the sync server (stops cleanly on SIGTERM or Ctrl-C).",
        discussion: """
            The first line on stdout names the address it listens on. --port 0 picks a free port.
            Logs go to stderr (LOG_LEVEL=debug for more).

            With --tls-cert and --tls-key the hub serves HTTPS itself; otherwise put it behind a
            TLS-terminating reverse proxy (and name the proxy with --trusted-proxy).

            Coordinators use the web console at /console (Vietnamese, Vietnam time): they join
            with a coordinator's enrolment code (`enrollment-code --role coordinator …`) at
            /console/join. Behind a TLS proxy, add --secure-cookies.

            GET /metrics (Prometheus text format) answers this machine only, unless --public-metrics.
            GET /v1/health gives the version, the store's schema and whether the store answers.
            One store, one server: a second serve on the same --db refuses to start.

            The hub's pseudonym key is in its key file (see --key-file), made at the first start
            with mode 0600 and never written to the store: back it up with the store
            (Tools/backup-hub.sh does). Every hub process on one PostgreSQL store needs the same
            key file. Each volunteer's laptop may have --pseudonyms-per-day citizen IDs turned into
            pseudonyms per Vietnam day (more: 429 until midnight, the visits wait).

            Example:
              fieldsync-server --db hub.sqlite serve --host 127.0.0.1 --port 0
              fieldsync-server --db hub.sqlite serve --host 0.0.0.0 --port 8443 \\
                  --tls-cert /etc/fieldsync/hub.pem --tls-key /etc/fieldsync/hub.key
            """)

    @OptionGroup var global: HubOptions
    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).") var port = 8080
    @Option(help: "Largest clock drift accepted from a device, in seconds.") var maxDrift = 86_400
    @Option(help: ArgumentHelp("The certificate chain (PEM) to serve HTTPS with.", valueName: "path")) var tlsCert: String?
    @Option(help: ArgumentHelp("The certificate's private key (PEM).", valueName: "path")) var tlsKey: String?
    @Option(help: "Seconds a connection may stay without a complete request before it is closed.") var idleTimeout: Int64 = 30
    @Option(help: "Seconds a request body may take to arrive (408 and the connection closed beyond).") var bodyTimeout: Int64 = 180
    @Option(help: "Most open connections.") var maxConnections = 8_192
    @Option(help: "Most open connections from one address.") var maxConnectionsPerAddress = 512
    @Option(help: ArgumentHelp("A reverse proxy whose X-Forwarded-For header names the client (repeatable).",
                               valueName: "address")) var trustedProxy: [String] = []
    @Flag(help: "Serve GET /metrics to any address, not only to this machine.") var publicMetrics = false
    @Flag(help: "Mark the console's session cookie Secure when a TLS proxy in front serves HTTPS (automatic with --tls-cert).")
    var secureCookies = false
    @Option(help: ArgumentHelp("Refuse laptops older than this FieldSync version with 426 and a message saying how to update "
                               + "(their visits stay safe on the laptop; bundles still carry them).", valueName: "version"))
    var minClient: String?
    @Option(help: "Citizen-ID pseudonyms one laptop may have evaluated per Vietnam day.")
    var pseudonymsPerDay = PseudonymEvaluator.defaultPerDay
    @Option(help: ArgumentHelp("The data-quality flags' thresholds, a JSON file naming any of them (Protocol/quality-rules.json).",
                               valueName: "path")) var qualityRules: String?
    @Option(help: ArgumentHelp("The folder of laptop packages published with `release publish`, served to `fieldsync update` "
                               + "(default: the --db file's name + .releases; with --database, none unless given).", valueName: "path"))
    var releases: String?
    @Option(help: ArgumentHelp("Fault injection for tests: cap the store at this many pages, as a full disk would.",
                               visibility: .hidden)) var maxDbPages: Int?

    func validate() throws {
        guard (tlsCert == nil) == (tlsKey == nil) else {
            throw ValidationError("--tls-cert and --tls-key go together: give both to serve HTTPS, or neither behind a proxy")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard (1...3_650 * 86_400).contains(maxDrift) else { throw ValidationError("--max-drift must be from 1 s to 10 years (in seconds)") }
        guard (1...1_000_000).contains(pseudonymsPerDay) else { throw ValidationError("--pseudonyms-per-day must be from 1 to 1000000") }
        if let minClient, ReleaseVersion(minClient) == nil {
            throw ValidationError("--min-client takes a version such as \(FieldSyncVersion.current), not \(minClient)")
        }
        guard idleTimeout >= 1, bodyTimeout >= 1, maxConnections >= 1, maxConnectionsPerAddress >= 1 else {
            throw ValidationError("timeouts and connection limits must be at least 1")
        }
    }

    func run() async throws {
        var logger = Logger(label: "fieldsync-server")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
        let descriptors = OpenFileLimit.raise()
        var limits = ServerLimits()
        limits.idleSeconds = idleTimeout
        limits.bodySeconds = bodyTimeout
        // Keep descriptors for the store, its WAL and the logs.
        limits.maxConnections = max(1, min(maxConnections, descriptors - 64))
        limits.maxConnectionsPerAddress = maxConnectionsPerAddress
        limits.trustedProxies = Set(trustedProxy)
        limits.publicMetrics = publicMetrics
        limits.minClient = minClient.flatMap { ReleaseVersion($0) }
        do {
            limits.qualityRules = try qualityRules.map(QualityRules.init(file:)) ?? QualityRules()
        } catch {
            throw ServerInputError("--quality-rules: \(error.description)")
        }
        limits.releases = releases ?? (global.databaseURL == nil ? global.path + ".releases" : nil)
        if global.databaseURL != nil {
            // Several hub processes may serve one PostgreSQL store: no lock file.
            let (limits, logger) = (limits, logger)
            try await global.withStorage(maxDriftMillis: UInt64(maxDrift) * 1000) { storage in
                try await serve(storage, limits: limits, descriptors: descriptors, logger: logger)
            }
            return
        }
        let lock = try StoreLock(store: global.path)
        let service = try HubService(path: global.path, maxDriftMillis: UInt64(maxDrift) * 1000, maxPages: maxDbPages)
        if let before = service.restoredFrom {
            logger.warning("the store is behind the changes it had committed: it was restored from an older copy; laptops that synced since will send again what it lacks",
                           metadata: ["hadReached": "\(before)"])
        }
        try await serve(service, limits: limits, descriptors: descriptors, logger: logger)
        lock.release()
        logger.info("stopped")
    }

    /// Serves the hub's routes over a store until SIGTERM or SIGINT.
    func serve(_ storage: any HubStorage, limits: ServerLimits, descriptors: Int, logger: Logger) async throws {
        let secret = try await HubSecrets.open(global.keys, storage: storage)
        logger.info("pseudonym key loaded", metadata: ["keyFile": "\(global.keys.path)", "version": "\(secret.version)"])
        let metrics = HubMetrics()
        metrics.bootstrap()
        let scheme = tlsCert == nil ? "http" : "https"
        let host = self.host
        let coverage = CoverageCache()
        let app = Application(
            router: HubRoutes(service: storage, limits: limits, metrics: metrics,
                              secureCookies: secureCookies || tlsCert != nil,
                              pseudonyms: PseudonymEvaluator(secret: secret, perDay: pseudonymsPerDay),
                              recoveryKey: try HubSecrets.recoveryPublicKey(global.keys),
                              bundleKeys: try global.keys.bundleKeys(), coverage: coverage).router(),
            server: try tlsServer(limits: limits),
            configuration: ApplicationConfiguration(
                address: .hostname(host, port: port), serverName: "fieldsync-server",
                availableConnectionsDelegate: MaximumAvailableConnections(limits.maxConnections, logger: logger)),
            services: [CoverageWarmer(cache: coverage, storage: storage, logger: logger)],
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                FileHandle.standardOutput.write(Data("fieldsync-server listening on \(scheme)://\(host):\(port)\n".utf8))
            },
            logger: logger)
        logger.info("hub store open", metadata: [
            "store": "\(global.storeName)", "hubReplica": "\(storage.replicaID)", "maxConnections": "\(limits.maxConnections)",
            "fileLimit": "\(descriptors)",
        ])
        do {
            try await app.runService()
        } catch let error as IOError where SystemError.isAddressInUse(error.errnoCode) || SystemError.isDenied(error.errnoCode) {
            throw ServerInputError(SystemError.isAddressInUse(error.errnoCode)
                ? "port \(port) on \(host) is already in use by another program: stop it, or choose another --port"
                : "this user may not listen on port \(port) (ports below 1024 need privileges): choose --port 8080 or higher, "
                    + "or serve behind a reverse proxy")
        } catch let error as SocketAddressError {
            throw ServerInputError("cannot listen on \(SafeText.quote(host)) (\(error)): give an address of this machine, "
                                   + "e.g. 127.0.0.1 or 0.0.0.0")
        }
    }

    /// The HTTP server builder, with TLS when a certificate was given.
    func tlsServer(limits: ServerLimits) throws -> HTTPServerBuilder {
        do {
            return try HubHTTPServer.builder(limits: limits, certificate: tlsCert, key: tlsKey)
        } catch {
            throw ServerInputError("cannot use the TLS certificate \(tlsCert ?? "") and key \(tlsKey ?? ""): \(error); "
                                   + "give PEM files the hub can read")
        }
    }
}
