import TextSafety

/// Input a volunteer or a device supplied that FieldSync cannot accept, with what to do about it.
public enum InputError: Error, Equatable, Sendable, CustomStringConvertible {
    case citizenIDLength(given: String, digits: Int)
    case citizenIDNotDigits(given: String)
    case citizenIDPlace(given: String, code: String)
    case citizenIDCentury(given: String, digit: Character, birthYear: Int)
    case phoneMalformed(given: String)
    case phoneOldElevenDigits(given: String, suggestion: String?)
    case communeMalformed(given: String)
    case communeUnknown(code: String)
    case communeReplaced(code: String, successors: [String])
    case communeNameUnknown(given: String, suggestions: [String])
    case communeNameAmbiguous(given: String, matches: [String])
    case unknownService(String)
    case unknownOutcome(String)
    case unknownReason(String)
    case reasonRequired(Outcome)
    case reasonNotAllowed
    case emptyText(field: String)
    case reservedName(field: String, name: String)
    case textTooLong(field: String, limit: Int)
    case controlCharacters(field: String)
    case invisibleFormatting(field: String)
    case teamMalformed(given: String)
    case dateMalformed(given: String)
    case dateInFuture(given: String)
    case consentRequired
    case visitIDMalformed(given: String)
    case unknownField(String)
    case notNFC(field: String)
    /// A record kind's rules (Protocol/README.md §12).
    case requiredWhen(field: String, other: String)
    case forbiddenWhen(field: String, other: String)
    case above(field: String, other: String)
    case outsideCommune(given: String, own: String)
    case wrongType(field: String, expected: String)
    case unknownOption(field: String, given: String, options: [String])
    case outOfRange(field: String, given: Int, minimum: Int?, maximum: Int?)

    public var description: String {
        switch self {
        case .citizenIDLength(let given, let digits):
            "CCCD \(SafeText.quote(given)) has \(digits) digits; a citizen ID has exactly 12: check the number on the card"
        case .citizenIDNotDigits(let given):
            "CCCD \(SafeText.quote(given)) contains characters other than digits; type only the 12 digits on the card"
        case .citizenIDPlace(let given, let code):
            "CCCD \(SafeText.quote(given)) starts with \(code), which is not a province (001–096) or country (101–295) code: "
                + "check the first three digits on the card"
        case .citizenIDCentury(let given, let digit, let year):
            "CCCD \(SafeText.quote(given)): the 4th digit \(digit) with year digits \(given.dropFirst(4).prefix(2)) means born in \(year), "
                + "which is in the future; the 4th digit is 0/1 for the 1900s and 2/3 for the 2000s: check the card"
        case .phoneMalformed(let given):
            "phone \(SafeText.quote(given)) is not a Vietnamese phone number: a mobile has 10 digits starting 03, 05, 07, 08 or 09, "
                + "a landline 11 starting 02 (+84 in front is fine)"
        case .phoneOldElevenDigits(let given, let suggestion):
            "phone \(SafeText.quote(given)) is an old 11-digit number; these were converted to 10 digits in 2018"
                + (suggestion.map { ": the new number is probably \($0) — check with the citizen" } ?? ": ask the citizen for the current number")
        case .communeMalformed(let given):
            "commune code \(SafeText.quote(given)) is not 5 digits: use the code from the 2025 catalogue (e.g. 00004 for Phường Ba Đình)"
        case .communeNameUnknown(let given, let suggestions):
            "no commune is named \(SafeText.quote(given))" + (suggestions.isEmpty
                ? ": `fieldsync communes search WORDS` finds the name and code"
                : "; did you mean " + suggestions.joined(separator: ", ") + "?")
        case .communeNameAmbiguous(let given, let matches):
            "several communes match \(SafeText.quote(given)): " + matches.joined(separator: ", ") + "; give the code or the province too"
        case .communeUnknown(let code):
            "commune code \(code) is not in the catalogue in force since 1 July 2025: check the code"
        case .communeReplaced(let code, let successors):
            "commune code \(code) is a pre-July-2025 code; it was merged into "
                + successors.joined(separator: " or ") + ": use the new code"
        case .unknownService(let code):
            "unknown service \(SafeText.quote(code)); use one of: " + Service.allCases.map(\.rawValue).joined(separator: ", ")
        case .unknownOutcome(let code):
            "unknown outcome \(SafeText.quote(code)); use one of: " + Outcome.allCases.map(\.rawValue).joined(separator: ", ")
        case .unknownReason(let code):
            "unknown reason \(SafeText.quote(code)); use one of: " + FailureReason.allCases.map(\.rawValue).joined(separator: ", ")
        case .reasonRequired(let outcome):
            "a \(outcome.rawValue) visit needs a reason (--reason): one of "
                + FailureReason.allCases.map(\.rawValue).joined(separator: ", ")
        case .reasonNotAllowed:
            "a done visit has no failure reason: drop --reason, or set the outcome to failed or pending"
        case .emptyText(let field):
            "the \(field) is empty: give it a value"
        case .reservedName(let field, let name):
            "\(name) cannot be a \(field): it marks a visit whose citizen's data was erased"
        case .textTooLong(let field, let limit):
            "the \(field) is longer than \(limit) characters: shorten it"
        case .controlCharacters(let field):
            "the \(field) contains control characters: type plain text"
        case .invisibleFormatting(let field):
            "the \(field) contains invisible formatting characters (such as a right-to-left override): type plain text"
        case .teamMalformed(let given):
            "team code \(SafeText.quote(given)) must be 1–32 letters, digits, '-' or '_' (e.g. T-00004-01)"
        case .dateMalformed(let given):
            "date \(SafeText.quote(given)) is not a date FieldSync reads: write e.g. 20/11/2025, 20/11/2025 09:30 (Vietnam time) "
                + "or ISO 8601: 2025-11-20, 2025-11-20T09:30 or 2025-11-20T09:30:00+07:00"
        case .dateInFuture(let given):
            "date \(SafeText.quote(given)) (Vietnam time) is after today: a visit is logged on or after the day it took place; "
                + "check the date, and the laptop's clock"
        case .consentRequired:
            "the citizen's consent is needed to record a CCCD or phone number: ask for it, or leave those out"
        case .unknownField(let name):
            "the record has a field \(SafeText.quote(name)) that visits do not have"
        case .notNFC(let field):
            "the \(field) is not in Unicode NFC form: the sending FieldSync must normalise it"
        case .requiredWhen(let field, let other):
            "the \(field) is needed when the \(other) has this value: give it"
        case .forbiddenWhen(let field, let other):
            "the \(field) must be empty when the \(other) has this value: clear it"
        case .above(let field, let other):
            "the \(field) cannot be more than the \(other): check both numbers"
        case .outsideCommune(let given, let own):
            "commune \(given) is not this laptop's commune \(own): a training session is logged by a laptop of its commune"
        case .wrongType(let field, let expected):
            "the \(field) is not a \(expected) value"
        case .unknownOption(let field, let given, let options):
            "\(SafeText.quote(given)) is not an option of the \(field); use one of: " + options.joined(separator: ", ")
        case .outOfRange(let field, let given, let minimum, let maximum):
            "the \(field) \(given) is out of range"
                + (minimum.map { " (at least \($0)" } ?? " (") + (maximum.map { (minimum == nil ? "at most " : ", at most ") + "\($0))" } ?? ")")
        case .visitIDMalformed(let given):
            "\(SafeText.quote(given)) is not a visit id: give the id `fieldsync log` printed, or its last 8 or more characters as `fieldsync list` shows them"
        }
    }
}
