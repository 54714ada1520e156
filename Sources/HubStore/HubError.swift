import SyncProtocol

/// Why the hub refused a request, with the protocol's error code and a message for people.
public enum HubError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformedJSON(String)
    case invalidRequest(String)
    case unauthorized(String)
    case invalidEnrollmentCode
    case outOfScope(String)
    case notFound(String)
    case replicaRestored(String)
    case payloadTooLarge(limit: Int)
    case clockAhead(String)
    case unavailable(String)

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
        case .unavailable: .unavailable
        }
    }

    public var description: String {
        switch self {
        case .malformedJSON(let detail): "the request body is not valid JSON (\(detail))"
        case .invalidRequest(let detail): "the request does not have the expected shape: \(detail)"
        case .unauthorized(let detail): detail
        case .invalidEnrollmentCode:
            "this enrolment code is unknown, already used or expired: ask your coordinator for a new one"
        case .outOfScope(let detail): detail
        case .notFound(let detail): detail
        case .replicaRestored(let detail): detail
        case .payloadTooLarge(let limit): "the request is larger than \(limit / 1024) KiB: send smaller batches"
        case .clockAhead(let detail): detail
        case .unavailable(let detail): detail
        }
    }

    /// The JSON body of the error answer.
    public var body: ErrorBody { ErrorBody(code: code, message: description) }
}
