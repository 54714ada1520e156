import HubCore
import HubSQLite
import Localization

/// What the console tells a person when a form or page cannot be served, in their language.
enum ConsoleError: Error, Sendable {
    /// Not signed in (or the session ended): go to the sign-in page.
    case signInNeeded
    case signInFailed
    case tooManyAttempts(seconds: Int)
    case passphrasesDiffer
    case passphraseTooShort
    case loginInvalid
    case loginTaken
    case notACoordinatorCode
    /// A form without this session's token, or posted from another site.
    case forgedForm
    case badForm(String)
    /// A date that is neither `25/11/2026` nor `2026-11-25`.
    case badDate(String)
    /// A share of adults that is not one (`80%`).
    case badShare(String)

    var status: Int {
        switch self {
        case .signInNeeded: 303
        case .signInFailed: 401
        case .tooManyAttempts: 429
        case .forgedForm: 403
        case .passphrasesDiffer, .passphraseTooShort, .loginInvalid, .loginTaken, .notACoordinatorCode, .badForm, .badDate, .badShare: 400
        }
    }

    func text(_ t: Catalogue) -> String {
        switch self {
        case .signInNeeded: t["err.sign_in_needed"]
        case .signInFailed: t["err.sign_in_failed"]
        case .tooManyAttempts(let seconds): t.format("err.too_many_attempts", t.number(seconds))
        case .passphrasesDiffer: t["err.passphrases_differ"]
        case .passphraseTooShort: t["err.passphrase_short"]
        case .loginInvalid: t["err.login_invalid"]
        case .loginTaken: t["err.login_taken"]
        case .notACoordinatorCode: t["err.not_coordinator_code"]
        case .forgedForm: t["err.forged_form"]
        case .badForm(let detail): t.format("err.bad_form", detail)
        case .badDate(let given): t.format("err.bad_date", given)
        case .badShare(let given): t.format("err.bad_share", given)
        }
    }

    /// A storage error in the person's language (the English detail kept for English).
    static func text(_ error: HubError, _ t: Catalogue) -> String {
        guard t.language == .vietnamese else { return error.description }
        switch error {
        case .invalidEnrollmentCode: return t["err.invalid_code"]
        case .outOfScope: return t["err.out_of_scope"]
        case .notFound: return t["err.not_found"]
        case .unauthorized: return t["err.unauthorized"]
        case .unavailable: return t["err.unavailable"]
        case .tooManyRequests(_, let retry): return t.format("err.too_many_requests", "\(retry)")
        // The hub's own words name what was wrong (a field, a value): kept, after a sentence in the person's language.
        default: return t.format("err.invalid_request", error.description)
        }
    }
}
