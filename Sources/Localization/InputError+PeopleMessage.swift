import FieldModel
import TextSafety

extension InputError: PeopleMessage {
    /// The message in the catalogue's language.
    public func message(_ t: Catalogue) -> String {
        let d = description
        switch self {
        case .citizenIDLength(let given, let digits): return t.error(d, "input.cccd_length", SafeText.quote(given), "\(digits)")
        case .citizenIDNotDigits(let given): return t.error(d, "input.cccd_digits", SafeText.quote(given))
        case .citizenIDPlace(let given, let code): return t.error(d, "input.cccd_place", SafeText.quote(given), code)
        case .citizenIDCentury(let given, let digit, let year):
            return t.error(d, "input.cccd_century", SafeText.quote(given), String(digit), String(given.dropFirst(4).prefix(2)), "\(year)")
        case .phoneMalformed(let given): return t.error(d, "input.phone", SafeText.quote(given))
        case .phoneOldElevenDigits(let given, let suggestion):
            return suggestion.map { t.error(d, "input.phone_old_suggest", SafeText.quote(given), $0) }
                ?? t.error(d, "input.phone_old", SafeText.quote(given))
        case .communeMalformed(let given): return t.error(d, "input.commune_malformed", SafeText.quote(given))
        case .communeNameUnknown(let given, let suggestions):
            return suggestions.isEmpty ? t.error(d, "input.commune_name_unknown", SafeText.quote(given))
                : t.error(d, "input.commune_name_suggest", SafeText.quote(given), suggestions.joined(separator: ", "))
        case .communeNameAmbiguous(let given, let matches):
            return t.error(d, "input.commune_ambiguous", SafeText.quote(given), matches.joined(separator: ", "))
        case .communeUnknown(let code): return t.error(d, "input.commune_unknown", code)
        case .communeReplaced(let code, let successors): return t.error(d, "input.commune_replaced", code, successors.joined(separator: " hoặc "))
        case .unknownService(let code):
            return t.error(d, "input.unknown_code", SafeText.quote(code), t.field("service").lowercased(),
                           Service.allCases.map { "\($0.rawValue) (\(t.service($0.rawValue)))" }.joined(separator: ", "))
        case .unknownOutcome(let code):
            return t.error(d, "input.unknown_code", SafeText.quote(code), t.field("outcome").lowercased(),
                           Outcome.allCases.map { "\($0.rawValue) (\(t.outcome($0.rawValue)))" }.joined(separator: ", "))
        case .unknownReason(let code):
            return t.error(d, "input.unknown_code", SafeText.quote(code), t.field("reason").lowercased(),
                           FailureReason.allCases.map { "\($0.rawValue) (\(t.reason($0.rawValue)))" }.joined(separator: ", "))
        case .reasonRequired(let outcome):
            return t.error(d, "input.reason_required", t.outcome(outcome.rawValue).lowercased(),
                           FailureReason.allCases.map { "\($0.rawValue) (\(t.reason($0.rawValue)))" }.joined(separator: ", "))
        case .reasonNotAllowed: return t.error(d, "input.reason_not_allowed")
        case .emptyText(let field): return t.error(d, "input.empty", fieldName(field, t))
        case .reservedName(let field, let name): return t.error(d, "input.reserved", name, fieldName(field, t))
        case .textTooLong(let field, let limit): return t.error(d, "input.too_long", fieldName(field, t), "\(limit)")
        case .controlCharacters(let field): return t.error(d, "input.control", fieldName(field, t))
        case .invisibleFormatting(let field): return t.error(d, "input.invisible", fieldName(field, t))
        case .teamMalformed(let given): return t.error(d, "input.team", SafeText.quote(given))
        case .dateMalformed(let given): return t.error(d, "input.date", SafeText.quote(given))
        case .dateInFuture(let given): return t.error(d, "input.date_future", SafeText.quote(given))
        case .consentRequired: return t.error(d, "input.consent")
        case .unknownField(let name): return t.error(d, "input.unknown_field", SafeText.quote(name))
        case .notNFC(let field): return t.error(d, "input.nfc", fieldName(field, t))
        case .visitIDMalformed(let given): return t.error(d, "input.visit_id", SafeText.quote(given))
        case .requiredWhen(let field, let other): return t.error(d, "input.required_when", t.field(field).lowercased(), t.field(other).lowercased())
        case .forbiddenWhen(let field, let other): return t.error(d, "input.forbidden_when", t.field(field).lowercased(), t.field(other).lowercased())
        case .above(let field, let other): return t.error(d, "input.above", t.field(field).lowercased(), t.field(other).lowercased())
        case .outsideCommune(let given, let own): return t.error(d, "input.outside_commune", given, own)
        case .wrongType(let field, _): return t.error(d, "input.wrong_type", t.field(field).lowercased())
        case .unknownOption(let field, let given, let options):
            return t.error(d, "input.unknown_option", SafeText.quote(given), t.field(field).lowercased(), options.joined(separator: ", "))
        case .outOfRange(let field, let given, let minimum, let maximum):
            return t.error(d, "input.out_of_range", t.field(field).lowercased(), "\(given)",
                           [minimum.map { "≥ \($0)" }, maximum.map { "≤ \($0)" }].compactMap { $0 }.joined(separator: ", "))
        }
    }

    /// A field named in an English message ("citizen name") as the catalogue names it.
    func fieldName(_ english: String, _ t: Catalogue) -> String {
        let known = ["citizen name": "name", "name": "name", "note": "note", "volunteer": "volunteer", "volunteer name": "volunteer",
                     "team": "team", "phone": "phone", "commune": "commune", "reason": "reason", "service": "service",
                     "consent policy": "consent", "consent's volunteer name": "volunteer"]
        return known[english].map { t.field($0).lowercased() } ?? english
    }
}
