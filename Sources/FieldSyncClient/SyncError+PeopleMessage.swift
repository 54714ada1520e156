import Localization
import SyncProtocol
import TextSafety

extension SyncError: PeopleMessage {
    /// The message in the catalogue's language (the hub's own words, when it sends some, are quoted as sent).
    public func message(_ t: Catalogue) -> String {
        let d = description
        return switch self {
        case .notEnrolled: t.error(d, "sync.not_enrolled")
        case .alreadyEnrolled(let server): t.error(d, "sync.already_enrolled", server)
        case .badServerURL(let text): t.error(d, "sync.bad_url", SafeText.quote(text))
        case .insecureHTTP(let host): t.error(d, "sync.insecure_http", SafeText.quote(host))
        case .unreachable(let host, let detail): t.error(d, "sync.unreachable", SafeText.terminal(host), SafeText.terminal(detail))
        case .unreachableEnrolling(let host, let detail):
            t.error(d, "sync.unreachable_enrolling", SafeText.terminal(host), SafeText.terminal(detail))
        case .enrollRefused(let body): t.error(d, "sync.enroll_refused", Self.hubWords(body))
        case .hub(let status, let body):
            switch body.error.code {
            case .unauthorized: t.error(d, "sync.unauthorized", Self.hubWords(body))
            case .outOfScope: t.error(d, "sync.out_of_scope", Self.hubWords(body))
            case .unavailable: t.error(d, "sync.unavailable", Self.hubWords(body))
            default: t.error(d, "sync.refused", "\(status)", Self.hubWords(body))
            }
        case .unexpectedAnswer(let status, let detail):
            t.error(d, "sync.unexpected", "\(status)", SafeText.terminal(String(detail.prefix(120))))
        case .pseudonym(let error): t.error(d, "sync.pseudonym", "\(error)")
        case .clockWrong(let seconds): t.error(d, "sync.clock", "\(seconds / 3600)", "\(seconds % 3600 / 60)")
        }
    }

    static func hubWords(_ body: ErrorBody) -> String { SafeText.terminal(SafeText.truncated(body.error.message, toBytes: 600).text) }
}
