import Foundation
import HTTPTypes
import Hummingbird

/// The address a request came from: the socket's peer, or, when that peer is a trusted reverse proxy,
/// the last address it appended to `X-Forwarded-For`.
enum ClientAddress {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")

    static func of(_ request: Request, _ context: HubRequestContext, trusted: Set<String>) -> String {
        let peer = context.remoteAddress?.ipAddress ?? "unknown"
        guard trusted.contains(peer), let name = forwardedFor, let forwarded = request.headers[name] else { return peer }
        let last = forwarded.split(separator: ",").last.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return last.isEmpty || last.count > 64 ? peer : last
    }
}
