import CitizenPseudonym
import SyncProtocol
import TextSafety

/// Why a sync or an enrolment stopped, in words a volunteer can act on.
public enum SyncError: Error, CustomStringConvertible, Equatable {
    case notEnrolled
    case alreadyEnrolled(server: String)
    case badServerURL(String)
    case insecureHTTP(host: String)
    case unreachable(String, String)
    /// No answer to an enrolment: it is `enroll`, not `sync`, that goes again.
    case unreachableEnrolling(String, String)
    /// The hub refused an enrolment.
    case enrollRefused(ErrorBody)
    case hub(status: Int, ErrorBody)
    case unexpectedAnswer(status: Int, String)
    case clockWrong(aheadSeconds: Int)
    case pseudonym(PseudonymError)

    public var description: String {
        switch self {
        case .notEnrolled:
            "this laptop is not enrolled with a hub: run `fieldsync enroll --server URL --code CODE` with the code your coordinator gave you"
        case .alreadyEnrolled(let server):
            "this store is already enrolled with \(server): nothing was changed. If its token was revoked or the laptop "
                + "moved to another commune, enrol it again with a new code: `fieldsync enroll --again --server … --code …` "
                + "(every visit is kept; those not yet sent go at the next sync)"
        case .badServerURL(let text):
            "\(SafeText.quote(text)) is not a hub address: write it like https://hub.example.vn or http://127.0.0.1:8080"
        case .insecureHTTP(let host):
            "refusing plain http:// to \(SafeText.quote(host)): the device token and citizens' data would cross the network "
                + "unencrypted; use the hub's https:// address, or give --insecure-http if this network is trusted"
        case .unreachable(let host, let detail):
            "cannot reach the hub at \(SafeText.terminal(host)) (\(SafeText.terminal(detail))): check the network and run `fieldsync sync` again; nothing is lost"
        case .unreachableEnrolling(let host, let detail):
            "cannot reach the hub at \(SafeText.terminal(host)) (\(SafeText.terminal(detail))): check the network and the hub's address, "
                + "then run `fieldsync enroll` again with the same code; if the hub then says it is used, ask your coordinator for a new one"
        case .enrollRefused(let body):
            "the hub refused the enrolment: \(SafeText.terminal(SafeText.truncated(body.error.message, toBytes: 600).text))"
        case .hub(let status, let body):
            Self.advice(status: status, body)
        case .unexpectedAnswer(let status, let detail):
            "the hub gave an answer FieldSync does not understand (HTTP \(status): \(SafeText.terminal(String(detail.prefix(120))))): is the address right?"
        case .pseudonym(let error):
            "\(error): no pseudonym was saved and nothing was sent; run `fieldsync sync` again, and tell your coordinator if it happens again"
        case .clockWrong(let seconds):
            "this laptop's clock is \(seconds / 3600) h \(seconds % 3600 / 60) min ahead of the hub's: set the date and time "
                + "correctly, then run `fieldsync sync` again; nothing is lost"
        }
    }

    /// The hub's own message, made safe for a terminal and bounded.
    static func advice(status: Int, _ body: ErrorBody) -> String {
        let message = SafeText.terminal(SafeText.truncated(body.error.message, toBytes: 600).text)
        return switch body.error.code {
        case .unauthorized: "the hub refused this laptop's token (\(message))"
        case .outOfScope: "the hub refused the sync: \(message)"
        case .payloadTooLarge: "the hub refused a batch as too large: \(message)"
        case .unavailable: "the hub cannot save right now (\(message)): run `fieldsync sync` again later; nothing is lost"
        case .upgradeRequired: message
        default: "the hub refused the request (HTTP \(status), \(body.error.code.rawValue)): \(message)"
        }
    }
}
