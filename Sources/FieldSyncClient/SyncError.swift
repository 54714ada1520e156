import SyncProtocol

/// Why a sync or an enrolment stopped, in words a volunteer can act on.
public enum SyncError: Error, CustomStringConvertible, Equatable {
    case notEnrolled
    case alreadyEnrolled(server: String)
    case badServerURL(String)
    case unreachable(String, String)
    case hub(status: Int, ErrorBody)
    case unexpectedAnswer(status: Int, String)
    case clockWrong(aheadSeconds: Int)

    public var description: String {
        switch self {
        case .notEnrolled:
            "this laptop is not enrolled with a hub: run `fieldsync enroll --server URL --code CODE` with the code your coordinator gave you"
        case .alreadyEnrolled(let server):
            "this store is already enrolled with \(server): nothing was changed"
        case .badServerURL(let text):
            "«\(text)» is not a hub address: write it like https://hub.example.vn or http://127.0.0.1:8080"
        case .unreachable(let host, let detail):
            "cannot reach the hub at \(host) (\(detail)): check the network and run `fieldsync sync` again; nothing is lost"
        case .hub(let status, let body):
            Self.advice(status: status, body)
        case .unexpectedAnswer(let status, let detail):
            "the hub gave an answer FieldSync does not understand (HTTP \(status): \(detail.prefix(120))): is the address right?"
        case .clockWrong(let seconds):
            "this laptop's clock is \(seconds / 3600) h \(seconds % 3600 / 60) min ahead of the hub's: set the date and time "
                + "correctly, then run `fieldsync sync` again; nothing is lost"
        }
    }

    static func advice(status: Int, _ body: ErrorBody) -> String {
        switch body.error.code {
        case .unauthorized: "the hub refused this laptop's token (\(body.error.message))"
        case .outOfScope: "the hub refused the sync: \(body.error.message)"
        case .payloadTooLarge: "the hub refused a batch as too large: \(body.error.message)"
        case .unavailable: "the hub cannot save right now (\(body.error.message)): run `fieldsync sync` again later; nothing is lost"
        default: "the hub refused the request (HTTP \(status), \(body.error.code.rawValue)): \(body.error.message)"
        }
    }
}
