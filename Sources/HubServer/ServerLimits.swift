import HubCore
import SyncProtocol

/// The HTTP server's timeouts and limits (README, "Limits"): what keeps slow or hostile clients from
/// holding the hub's connections, memory or file descriptors.
public struct ServerLimits: Sendable {
    /// A connection that has sent no complete request head, or nothing at all after a response, for
    /// this many seconds is closed (covers slow headers and idle keep-alive).
    public var idleSeconds: Int64 = 30
    /// A request body must arrive within this many seconds (a 4 MiB push over a 384 kbit/s link takes
    /// about 90 s); beyond it the answer is 408 and the connection is closed.
    public var bodySeconds: Int64 = 180
    /// Most open connections; beyond it new ones wait in the kernel's backlog.
    public var maxConnections = 8_192
    /// Most open connections from one address (a commune office behind one NAT stays far below it).
    public var maxConnectionsPerAddress = 512
    /// Failed enrolment codes one address may try in `enrollWindowSeconds` before it gets 429.
    public var enrollFailures = 10
    /// The window for `enrollFailures`.
    public var enrollWindowSeconds = 600.0
    /// Addresses of reverse proxies whose `X-Forwarded-For` names the real client.
    public var trustedProxies: Set<String> = []
    /// Serve `/metrics` to any address, not only to this machine's.
    public var publicMetrics = false
    /// Laptops older than this (`serve --min-client`) are refused with 426; a request that names no version
    /// counts as older than every named one. Nil: every version is served.
    public var minClient: ReleaseVersion?
    /// The data-quality flags' thresholds (`serve --quality-rules`): the console's page and `/reports/quality`.
    public var qualityRules = QualityRules()
    /// The folder of the packages published for laptops (`release publish`), served at `/v1/releases/`; nil: none.
    public var releases: String?

    /// The defaults.
    public init() {}
}
