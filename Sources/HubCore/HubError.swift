import SyncProtocol

/// Why the hub refused a request, with the protocol's error code and a message for people.
public enum HubError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedJSON(String)
    case invalidRequest(String)
    case unauthorized(String)
    case invalidEnrollmentCode
    case outOfScope(String)
    case notFound(String)
    /// A restored or copied store (§1); `highWater` is the highest seq the hub has seen from the replica.
    case replicaRestored(String, highWater: UInt64? = nil)
    case payloadTooLarge(limit: Int)
    case clockAhead(String)
    case tooManyRequests(String, retryAfter: Int)
    case requestTimeout(seconds: Int64)
    case methodNotAllowed(String)
    /// A laptop older than `serve --min-client`.
    case upgradeRequired(String)
    case unavailable(String)
    /// The store failed in a way people cannot act on; the detail goes to the operator's log only.
    case storage(detail: String)

    /// The protocol error code.
    public var code: ErrorCode {
        switch self {
        case .malformedJSON: .malformedJSON
        case .invalidRequest: .invalidRequest
        case .unauthorized: .unauthorized
        case .invalidEnrollmentCode: .invalidEnrollmentCode
        case .outOfScope: .outOfScope
        case .notFound: .notFound
        case .replicaRestored: .replicaRestored
        case .payloadTooLarge: .payloadTooLarge
        case .clockAhead: .clockAhead
        case .tooManyRequests: .tooManyRequests
        case .requestTimeout: .requestTimeout
        case .methodNotAllowed: .methodNotAllowed
        case .upgradeRequired: .upgradeRequired
        case .unavailable, .storage: .unavailable
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "the request body is not valid JSON (\(detail))"
        case .invalidRequest(let detail): detail
        case .unauthorized(let detail): detail
        case .invalidEnrollmentCode:
            "this enrolment code is unknown, already used or expired: ask your coordinator for a new one"
        case .outOfScope(let detail): detail
        case .notFound(let detail): detail
        case .replicaRestored(let detail, _): detail
        case .payloadTooLarge(let limit): "the request is larger than \(limit / 1024) KiB: send smaller batches"
        case .clockAhead(let detail): detail
        case .tooManyRequests(let detail, _): detail
        case .requestTimeout(let seconds): "the request body did not arrive within \(seconds) s: the connection was closed; retry"
        case .methodNotAllowed(let detail): detail
        case .upgradeRequired(let detail): detail
        case .unavailable(let detail): detail
        case .storage: "the hub could not use its store: nothing was saved; retry later (the operator has the details in the hub's log)"
        }
    }

    /// What the operator's log gets beyond the message (never sent to the client).
    public var logDetail: String? {
        if case .storage(let detail) = self { return detail }
        return nil
    }

    /// The JSON body of the error answer.
    public var body: ErrorBody {
        var body = ErrorBody(code: code, message: description)
        if case .replicaRestored(_, let highWater) = self { body.error.highWater = highWater }
        return body
    }
}
