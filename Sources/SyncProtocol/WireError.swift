/// The error codes of the protocol (Protocol/README.md §10), with their HTTP status.
public enum ErrorCode: String, Codable, Sendable, CaseIterable {
    case malformedJSON = "malformed_json"
    case invalidRequest = "invalid_request"
    case unauthorized
    case invalidEnrollmentCode = "invalid_enrollment_code"
    case outOfScope = "out_of_scope"
    case notFound = "not_found"
    case methodNotAllowed = "method_not_allowed"
    case requestTimeout = "request_timeout"
    case replicaRestored = "replica_restored"
    case payloadTooLarge = "payload_too_large"
    case clockAhead = "clock_ahead"
    case tooManyRequests = "too_many_requests"
    case upgradeRequired = "upgrade_required"
    case unavailable
    case internalError = "internal"

    /// The HTTP status that carries the code.
    public var status: Int {
        switch self {
        case .malformedJSON, .invalidRequest: 400
        case .unauthorized, .invalidEnrollmentCode: 401
        case .outOfScope: 403
        case .notFound: 404
        case .methodNotAllowed: 405
        case .requestTimeout: 408
        case .replicaRestored: 409
        case .payloadTooLarge: 413
        case .clockAhead: 422
        case .tooManyRequests: 429
        case .upgradeRequired: 426
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
        /// With `replica_restored`: the highest seq the hub has seen from the pushing replica (§1).
        public var highWater: UInt64?
    }

    public var error: Detail

    /// Makes an error body.
    public init(code: ErrorCode, message: String) {
        error = Detail(code: code, message: message, highWater: nil)
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
    /// The most villages a pull page names as the device's scope (§7.3).
    public static let maxScopeVillages = 500
    /// The largest seq, hub seq or backlog a request may carry (JSON numbers are exact up to 2^53).
    public static let maxCounter: UInt64 = 1 << 53
    /// Most entries in one version vector (a visit is written by a handful of replicas).
    public static let maxVectorEntries = 256
    /// Most conflict entries in one push.
    public static let maxPushConflicts = 2_000
    /// Default allowed clock drift: one day.
    public static let defaultMaxDriftMillis: UInt64 = 86_400_000
}
