import Foundation
import HTTPTypes
import Hummingbird
import HubReports
import HubStore
import Logging
import SyncCore
import SyncProtocol

/// The hub's HTTP endpoints (Protocol/openapi.yaml) over a `HubService`.
public struct HubRoutes: Sendable {
    let service: HubService

    /// Routes over a service.
    public init(service: HubService) { self.service = service }

    /// A router with every endpoint and the JSON error middleware.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: JSONErrorMiddleware())
        router.get("/v1/health") { _, _ in
            try Self.json(["status": "ok", "hubReplica": service.replicaID])
        }
        router.post("/v1/enroll") { request, context in
            let body = try await Self.decode(EnrollRequest.self, from: request, limit: 16 * 1024)
            let response = try await service.write { try $0.enroll(body) }
            context.logger.info("device enrolled", metadata: ["device": "\(response.device)", "role": "\(response.role.rawValue)"])
            return try Self.json(response)
        }
        router.post("/v1/push") { request, context in
            let device = try await authenticate(request)
            let body = try PushRequest.decode(try await Self.body(of: request, limit: WireLimits.maxBodyBytes))
            let response = try await service.push(body, from: device)
            context.logger.info("push merged", metadata: [
                "device": "\(device.id)", "batch": "\(response.batch)", "received": "\(response.received)",
                "fastForward": "\(response.fastForward)", "conflicts": "\(response.conflicts)",
                "rejected": "\(response.rejected.count)", "hubSeq": "\(response.hubSeq)",
            ])
            return try Self.json(response)
        }
        router.get("/v1/pull") { request, _ in
            let device = try await authenticate(request)
            let query = request.uri.queryParameters
            guard let after = UInt64(query["after"].map(String.init) ?? "0"),
                  let limit = Int(query["limit"].map(String.init) ?? "\(WireLimits.defaultPullLimit)"), limit > 0
            else { throw HubError.invalidRequest("after and limit must be non-negative integers") }
            let page = try await service.read { try $0.pull(after: after, limit: limit, for: device) }
            return Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
                            body: ResponseBody(byteBuffer: ByteBuffer(bytes: page.encoded())))
        }
        router.get("/v1/reports/:name") { request, context in
            let device = try await authenticate(request)
            guard device.role == .coordinator else {
                throw HubError.outOfScope("reports are for coordinator tokens; this is a volunteer's device")
            }
            let query = request.uri.queryParameters
            guard let name = context.parameters.get("name").flatMap(ReportName.init(rawValue:)) else {
                throw HubError.notFound("no such report: use " + ReportName.allCases.map(\.rawValue).joined(separator: ", "))
            }
            guard let format = ReportFormat(rawValue: query["format"].map(String.init) ?? "json") else {
                throw HubError.invalidRequest("format must be one of " + ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let filter = try ReportFilter.parsing(since: query["since"].map(String.init), until: query["until"].map(String.init),
                                                  province: query["province"].map(String.init), commune: query["commune"].map(String.init))
                .limited(to: device.scope)
            let staleDays = Int(query["staleDays"].map(String.init) ?? "7") ?? 7
            let text = try await service.read { store in
                try ReportRenderer.render(ReportRequest(name: name, format: format, filter: filter, staleDays: staleDays), store: store)
            }
            return Response(status: .ok, headers: [.contentType: format.contentType],
                            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        return router
    }

    /// The device behind the request's bearer token.
    func authenticate(_ request: Request) async throws -> Device {
        let header = request.headers[.authorization] ?? ""
        let token = header.hasPrefix("Bearer ") ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        return try await service.read { try $0.authenticate(token: token) }
    }

    /// Reads a JSON body of at most `limit` bytes: 413 beyond it, 400 for broken or wrongly shaped JSON.
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try WireJSON.decode(type, from: Data(try await body(of: request, limit: limit)))
    }

    /// The body's bytes, at most `limit` of them (413 beyond).
    static func body(of request: Request, limit: Int) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HubError.payloadTooLarge(limit: limit)
        }
        do {
            return Array(try await request.body.collect(upTo: limit).readableBytesView)
        } catch {
            throw HubError.payloadTooLarge(limit: limit)
        }
    }

    /// A 200 JSON response.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try WireJSON.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// Turns every error into the protocol's JSON error body (never a bare 500 with a stack).
struct JSONErrorMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HubError {
            if error.code == .unavailable { context.logger.error("request failed", metadata: ["error": "\(error)"]) }
            return Self.response(error.body)
        } catch let error as HTTPError where error.status == .notFound {
            return Self.response(ErrorBody(code: .notFound, message: "no such endpoint: \(request.method) \(request.uri.path)"))
        } catch let error as HTTPResponseError where error.status == .contentTooLarge {
            return Self.response(HubError.payloadTooLarge(limit: WireLimits.maxBodyBytes).body)
        } catch let error as HTTPResponseError where (400..<500).contains(error.status.code) {
            return Self.response(ErrorBody(code: .invalidRequest, message: "\(error)"))
        } catch let error as WireDecodingError {
            switch error {
            case .malformed: return Self.response(ErrorBody(code: .malformedJSON, message: error.description))
            case .invalid: return Self.response(ErrorBody(code: .invalidRequest, message: error.description))
            }
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return Self.response(ErrorBody(code: .internalError, message: "the hub hit an unexpected error; it was logged"))
        }
    }

    static func response(_ body: ErrorBody) -> Response {
        let data = (try? WireJSON.encoder.encode(body)) ?? Data()
        return Response(status: HTTPResponse.Status(code: body.error.code.status),
                        headers: [.contentType: "application/json; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
