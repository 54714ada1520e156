import TextSafety
import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncCore

/// A visit as a person types it, field by field (the command line's options, the app's form): read and checked
/// by one set of rules wherever it comes from. A nil field was not given; an empty one clears it in an edit.
public struct VisitForm: Sendable, Equatable {
    public var service: String?
    public var outcome: String?
    public var name: String?
    public var cccd: String?
    public var phone: String?
    public var commune: String?
    public var reason: String?
    public var note: String?
    /// When, as `dd/mm/yyyy HH:mm` (Vietnam time) or ISO 8601.
    public var at: String?
    /// A household: its code, address or head's name.
    public var household: String?
    /// The come-back day, `dd/mm/yyyy`; empty for none.
    public var comeBack: String?
    /// The visit kind's published fields beyond the built-in ones, by name.
    public var published: [String: String] = [:]

    public init() {}

    /// The optional fields, validated: nil = not given, .some(nil) = cleared with an empty value.
    public struct Parsed: Sendable {
        public var citizenID: CitizenID??
        public var phone: PhoneNumber??
        public var reason: FailureReason??
        public var visitedAt: Date?
    }

    /// Validates the fields that need it.
    public func parse(now: Date = Date()) throws -> Parsed {
        var parsed = Parsed()
        if let cccd { parsed.citizenID = cccd.isEmpty ? .some(nil) : try CitizenID(validating: cccd, now: now) }
        if let phone { parsed.phone = phone.isEmpty ? .some(nil) : try PhoneNumber(validating: phone) }
        if let reason { parsed.reason = reason.isEmpty ? .some(nil) : try FailureReason(code: reason) }
        if let at { parsed.visitedAt = try ISODate.parse(at) }
        return parsed
    }

    /// The fields beyond the built-in columns: the household, the come-back day and the published fields, read by
    /// their types in the visit kind the store writes with.
    public func extraValues(_ store: FieldStore) throws -> [String: FieldValue] {
        var values: [String: FieldValue] = [:]
        if let household { values["household"] = household.isEmpty ? .null : .text(try store.household(named: household).id) }
        if let comeBack {
            if comeBack.trimmingWhitespace.isEmpty {
                values["followUpOn"] = .null
            } else {
                let day = VietnamTime.day(of: try ISODate.parse(comeBack))
                values["followUpOn"] = VietnamTime.start(ofDay: day).map { .text($0) } ?? .null
                values["followUpClosed"] = .bool(false)
            }
        }
        guard !published.isEmpty else { return values }
        let kind = try store.visitKind()
        for (name, text) in published.sorted(by: { $0.key < $1.key }) {
            // A built-in field has a field of its own (service, note, …); only published ones are set here.
            guard let kind, VisitField(rawValue: name) == nil else { throw InputError.unknownField(name) }
            values[name] = try kind.value(text, for: name)
        }
        return values
    }

    /// The new visit this form describes.
    /// - Throws: `InputError.emptyText` for a missing service, outcome or name; any error of the fields.
    public func draft(_ store: FieldStore, consent: Bool, now: Date = Date()) throws -> VisitDraft {
        guard let service, !service.isEmpty else { throw InputError.emptyText(field: "service") }
        guard let outcome, !outcome.isEmpty else { throw InputError.emptyText(field: "outcome") }
        guard let name else { throw InputError.emptyText(field: "citizen name") }
        let parsed = try parse(now: now)
        var draft = VisitDraft(
            service: try Service(code: service, options: try store.serviceOptions()), outcome: try Outcome(code: outcome),
            commune: commune.flatMap { $0.isEmpty ? nil : $0 }, citizenName: name, citizenID: parsed.citizenID ?? nil,
            phone: parsed.phone ?? nil, reason: parsed.reason ?? nil, note: note ?? "", visitedAt: parsed.visitedAt, consent: consent)
        draft.extra = try extraValues(store)
        return draft
    }

    /// The edit this form describes: only the fields given change.
    public func changes(_ store: FieldStore, now: Date = Date()) throws -> VisitChanges {
        let parsed = try parse(now: now)
        var changes = VisitChanges()
        changes.service = try service.map { try Service(code: $0, options: try store.serviceOptions()) }
        changes.extra = try extraValues(store)
        changes.outcome = try outcome.map { code throws(InputError) in try Outcome(code: code) }
        changes.commune = commune
        changes.citizenName = name
        changes.citizenID = parsed.citizenID
        changes.phone = parsed.phone
        changes.reason = parsed.reason
        changes.note = note
        changes.visitedAt = parsed.visitedAt
        return changes
    }

    /// A visit field's name in a form where the command line's option differs from the kind's name (`at`, `comeBack`).
    public static func formName(_ field: String) -> String { ["visitedAt": "at", "followUpOn": "comeBack"][field] ?? field }

    /// The form field an error is about (`cccd`, `phone`, `reason`…), so a form can show it there; nil when none.
    public func field(of error: any Error) -> String? {
        guard let error = error as? InputError else {
            if case StoreError.householdNotFound? = error as? StoreError { return "household" }
            if case StoreError.householdAmbiguous? = error as? StoreError { return "household" }
            return nil
        }
        switch error {
        case .citizenIDLength, .citizenIDNotDigits, .citizenIDPlace, .citizenIDCentury: return "cccd"
        case .phoneMalformed, .phoneOldElevenDigits: return "phone"
        case .communeMalformed, .communeUnknown, .communeReplaced, .communeNameUnknown, .communeNameAmbiguous, .outsideCommune: return "commune"
        case .unknownService: return "service"
        case .unknownOutcome: return "outcome"
        case .unknownReason, .reasonRequired, .reasonNotAllowed: return "reason"
        case .dateMalformed(let given), .dateInFuture(let given): return comeBack != nil && given == comeBack ? "comeBack" : "at"
        case .consentRequired: return "consent"
        case .emptyText(let field), .reservedName(let field, _), .textTooLong(let field, _), .controlCharacters(let field),
             .invisibleFormatting(let field), .notNFC(let field):
            return ["citizen name": "name", "service": "service", "outcome": "outcome"][field] ?? field
        case .requiredWhen(let field, _), .forbiddenWhen(let field, _), .above(let field, _), .wrongType(let field, _),
             .unknownOption(let field, _, _), .outOfRange(let field, _, _, _):
            return Self.formName(field)
        case .unknownField(let field): return field
        case .teamMalformed, .visitIDMalformed: return nil
        }
    }
}
