/// The error codes of the protocol (Protocol/README.md §10), with their HTTP status.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case malformedJSON = "malformed_json"
    case invalidRequest = "invalid_request"
    case unauthorized
    case invalidEnrollmentCode = "invalid_enrollment_code"
    case outOfScope = "out_of_scope"
    case notFound = "not_found"
    case replicaRestored = "replica_restored"
    case payloadTooLarge = "payload_too_large"
    case clockAhead = "clock_ahead"
    case unavailable
    case internalError = "internal"

    /// The HTTP status that carries the code.
    public var status: Int {
        switch self {
        case .malformedJSON, .invalidRequest: 400
        case .unauthorized, .invalidEnrollmentCode: 401
        case .outOfScope: 403
        case .notFound: 404
        case .replicaRestored: 409
        case .payloadTooLarge: 413
        case .clockAhead: 422
        case .unavailable: 503
        case .internalError: 500
        }
    }
}

/// The JSON body of every error answer: `{"error": {"code": …, "message": …}}`.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The error itself.
    public struct Detail: Codable, Sendable, Equatable {
        public var code: ErrorCode
        public var message: String
    }

    public var error: Detail

    /// Makes an error body.
    public init(code: ErrorCode, message: String) {
        error = Detail(code: code, message: message)
    }
}

/// Limits of the protocol, shared by client and hub.
public enum WireLimits {
    /// Most records in one push.
    public static let maxPushRecords = 500
    /// Largest request body the hub reads.
    public static let maxBodyBytes = 4 * 1024 * 1024
    /// Default and largest pull page.
    public static let defaultPullLimit = 500
    public static let maxPullLimit = 2_000
    /// Default allowed clock drift: one day.
    public static let defaultMaxDriftMillis: UInt64 = 86_400_000
}
