import Hummingbird
import HummingbirdAuth
import HubCore
import HubSQLite
import NIOCore

/// The context of one request to the hub: who is asking (the address, after a trusted proxy's
/// `X-Forwarded-For`), the authenticated device once the bearer middleware ran, and the connection.
public struct HubRequestContext: RequestContext, RemoteAddressRequestContext, SessionRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address as the socket reports it.
    public let remoteAddress: SocketAddress?
    /// The connection, so a request that stalls its body can be cut off.
    let channel: any Channel
    /// The device the bearer token belongs to (set by `BearerAuthMiddleware`).
    public var device: Device?
    /// The console session (`SessionMiddleware` loads and saves it).
    public let sessions = SessionContext<ConsoleSession>()

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        channel = source.channel
    }

    /// The device, or 401 when the route was reached without authentication.
    func requireDevice() throws -> Device {
        guard let device else { throw HubError.unauthorized("a device token is required (Authorization: Bearer …)") }
        return device
    }

    /// The device when it is a coordinator's token, or 403.
    func requireCoordinator() throws -> Device {
        let device = try requireDevice()
        guard device.role == .coordinator else {
            throw HubError.outOfScope("reports and conflict entries are for coordinator tokens; this is a volunteer's device")
        }
        return device
    }
}
