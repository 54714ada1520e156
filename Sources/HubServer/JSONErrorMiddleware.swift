import Foundation
import HTTPTypes
import Hummingbird
import HubCore
import HubSQLite
import Logging
import SyncProtocol

/// The one place that turns every error into the protocol's JSON error body (Protocol/README.md §10):
/// domain errors keep their code and message, anything unexpected is logged with the request id and
/// answered 500 without internal detail.
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext
    let metrics: HubMetrics?

    /// The endpoints and the methods each answers, for 405 answers with `Allow`.
    static let methods: [(pattern: [Substring], allowed: String)] = [
        (["v1", "health"], "GET"), (["metrics"], "GET"), ([], "GET"), (["favicon.ico"], "GET"), (["v1", "enroll"], "POST"), (["v1", "push"], "POST"), (["v1", "pull"], "GET"),
        (["v1", "pseudonyms"], "POST"), (["v1", "held"], "POST"), (["v1", "audit"], "GET"), (["v1", "kinds"], "GET"),
        (["v1", "reports", "*"], "GET"), (["v1", "conflicts"], "GET"), (["v1", "conflicts", "*"], "GET"),
        (["v1", "conflicts", "*", "resolve"], "POST"), (["v1", "releases", "latest"], "GET"), (["v1", "releases", "files", "*"], "GET"),
    ]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let response = await answer(request, context: context, next: next)
        if response.status.code >= 400 {
            metrics?.count(status: response.status.code)
            context.logger.notice("request refused", metadata: [
                "method": "\(request.method)", "path": "\(Self.safePath(request))", "status": "\(response.status.code)",
                "device": "\(context.device?.id ?? "-")",
            ])
        }
        return response
    }

    /// The handler's response, or the error turned into the protocol's JSON error body.
    func answer(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async -> Response {
        do {
            return try await next(request, context)
        } catch let error as HubError {
            if error.code == .unavailable {
                context.logger.error("request failed", metadata: ["error": "\(error)", "detail": "\(error.logDetail ?? "")"])
            }
            var response = Self.response(error.body)
            if case .tooManyRequests(_, let retryAfter) = error { response.headers[.retryAfter] = "\(retryAfter)" }
            return response
        } catch let error as HTTPError where error.status == .notFound {
            if let allowed = Self.allowedMethods(request.uri.path) {
                var response = Self.response(ErrorBody(code: .methodNotAllowed,
                                                       message: "\(request.method) is not allowed here: use \(allowed)"))
                response.headers[.allow] = allowed
                return response
            }
            return Self.response(ErrorBody(code: .notFound, message: "no such endpoint: \(request.method) \(Self.safePath(request))"))
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return Self.response(HubError.payloadTooLarge(limit: WireLimits.maxBodyBytes).body)
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            return Self.response(ErrorBody(code: .invalidRequest, message: error.body ?? "the request was refused"))
        } catch let error as WireDecodingError {
            switch error {
            case .malformed: return Self.response(ErrorBody(code: .malformedJSON, message: error.description))
            case .invalid: return Self.response(ErrorBody(code: .invalidRequest, message: error.description))
            }
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)", "path": "\(Self.safePath(request))"])
            return Self.response(ErrorBody(code: .internalError,
                                           message: "the hub hit an unexpected error; it was logged as request \(context.id)"))
        }
    }

    /// The methods a path answers to, or nil for an unknown path.
    static func allowedMethods(_ path: String) -> String? {
        let parts = path.split(separator: "/")
        return methods.first { entry in
            entry.pattern.count == parts.count && zip(entry.pattern, parts).allSatisfy { $0 == "*" || $0 == $1 }
        }?.allowed
    }

    /// The path, cut short for a message.
    static func safePath(_ request: Request) -> String { String(request.uri.path.prefix(120)) }

    static func response(_ body: ErrorBody) -> Response {
        var writer = JSONWriter(capacity: 256)
        writer.raw("{\"error\":{\"code\":")
        writer.string(body.error.code.rawValue)
        writer.raw(",\"message\":")
        writer.string(body.error.message)
        writer.raw("}}")
        return Response(status: HTTPResponse.Status(code: body.error.code.status),
                        headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: writer.bytes)))
    }
}
