import Hummingbird
import HubCore
import HubSQLite
import Logging
import SyncProtocol

/// Authenticates the bearer token of every request it guards and puts the device in the context;
/// a missing, unknown or revoked token ends the request with 401 (logged with the address, never the token).
struct BearerAuthMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let service: any HubStorage
    let limits: ServerLimits

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        var context = context
        do {
            context.device = try await service.authenticate(token: token)
        } catch let error as HubError {
            context.logger.notice("request refused", metadata: [
                "address": "\(ClientAddress.of(request, context, trusted: limits.trustedProxies))",
                "path": "\(request.uri.path)", "reason": "\(error.code.rawValue)",
            ])
            throw error
        }
        // The version the laptop runs, noted when it changed (the devices report shows who still needs an update).
        if let device = context.device, let named = ReleaseVersion(header: request.headers[ClientVersionMiddleware.header])?.description,
           device.clientVersion != named {
            try await service.noteClientVersion(device: device.id, version: named)
        }
        return try await next(request, context)
    }
}
