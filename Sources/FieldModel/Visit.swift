#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

/// One visit to a citizen: what service was given, how it ended, where, for whom, by whom.
public struct Visit: Hashable, Sendable {
    /// Lowercase UUID.
    public var id: String
    /// The help given.
    public var service: Service
    /// How it ended.
    public var outcome: Outcome
    /// Five-digit code of the commune the citizen lives in (2025 catalogue).
    public var commune: String
    /// The citizen's full name, NFC.
    public var citizenName: String
    /// The citizen ID in the form that may leave the laptop.
    public var citizenID: ProtectedCitizenID?
    /// Mobile number, normalised to 10 digits.
    public var phone: String?
    /// Why it failed or is pending.
    public var reason: FailureReason?
    /// Free text.
    public var note: String
    /// When the visit took place.
    public var visitedAt: Date
    /// The volunteer who logged it.
    public var volunteer: String
    /// Their team's code.
    public var team: String
    /// The citizen's consent to keep their personal data.
    public var consent: Consent?
    /// Whether the visit was deleted (a tombstone, kept so the deletion syncs).
    public var deleted: Bool
    /// Whether the citizen's data was erased (a subject request, or consent withdrawn): the visit stays
    /// (service, outcome, commune, date, pseudonym) with its personal fields blank, for good.
    public var erased: Bool
    /// The values of fields a published version of the visit kind added (Protocol/README.md §12), by name: kept,
    /// merged and sent back by every store, including one that has not yet received that version.
    public var extra: [String: FieldValue] = [:]

    /// The household visited (a household record's id), nil for a citizen met elsewhere (issue 31).
    public var household: String? { extra["household"]?.text.flatMap { $0.isEmpty ? nil : $0 } }
    /// Its review state (issue 33): accepted, needs-correction, rejected; nil when not reviewed.
    public var review: String? { extra["review"]?.text.flatMap { ReviewState(rawValue: $0)?.rawValue } }
    /// Whether reports count it: live and not rejected by a coordinator (issue 33).
    public var counted: Bool { !deleted && review != ReviewState.rejected.rawValue }

    /// When to come back, while the follow-up is open (not closed by hand, the visit not deleted); canonical UTC.
    public var openFollowUp: String? {
        guard !deleted, extra["followUpClosed"] != .bool(true), let on = extra["followUpOn"]?.text, !on.isEmpty else { return nil }
        return on
    }

    /// The name an erased visit shows (refused as a typed name).
    public static let erasedName = "[đã xoá]"
    /// The mask an erased visit's citizen ID shows (its pseudonym stays, so counts do not change).
    public static let erasedMask = "************"

    /// Makes a visit from its parts (see `validate` for the rules they must follow).
    public init(id: String, service: Service, outcome: Outcome, commune: String, citizenName: String,
                citizenID: ProtectedCitizenID? = nil, phone: String? = nil, reason: FailureReason? = nil,
                note: String = "", visitedAt: Date, volunteer: String, team: String, consent: Consent? = nil,
                deleted: Bool = false, erased: Bool = false) {
        self.id = id
        self.service = service
        self.outcome = outcome
        self.commune = commune
        self.citizenName = citizenName
        self.citizenID = citizenID
        self.phone = phone
        self.reason = reason
        self.note = note
        self.visitedAt = visitedAt
        self.volunteer = volunteer
        self.team = team
        self.consent = consent
        self.deleted = deleted
        self.erased = erased
        if erased {
            // Erasure dominates whatever was written alongside or after it (Protocol/README.md §4.3).
            self.citizenName = Self.erasedName
            self.citizenID = citizenID.map { ProtectedCitizenID(masked: Self.erasedMask, keyedHash: $0.keyedHash) }
            self.phone = nil
            self.note = ""
        }
    }

    /// The same visit with its citizen's data erased.
    public func erasing() -> Visit {
        var erased = Visit(id: id, service: service, outcome: outcome, commune: commune, citizenName: citizenName, citizenID: citizenID,
                           phone: phone, reason: reason, note: note, visitedAt: visitedAt, volunteer: volunteer, team: team, consent: consent,
                           deleted: deleted, erased: true)
        erased.extra = extra
        return erased
    }

    /// The visit kind FieldSync is built with. Losing the error is safe: without the document (RecordKindsTests fails
    /// then) a visit is checked by the built-in services alone and carries no field beyond them.
    public static let builtInKind: RecordKind? = try? RecordKind.builtIn("visit")

    /// Longest citizen or volunteer name accepted.
    public static let nameLimit = 120
    /// Longest note accepted.
    public static let noteLimit = 2_000

    /// Checks the rules that tie fields together: a failed visit has a reason, a done one none,
    /// personal data needs consent, the visit is not in the future (beyond `clockSlack`).
    /// - Throws: the first `InputError` found.
    /// With `kind` (the latest version of the visit kind the caller knows), the service may be any of its options and
    /// the published fields are checked by their types; without, only the built-in services and the fields FieldSync's
    /// own visit document has.
    public func validate(now: Date = Date(), clockSlack: TimeInterval = 600, kind: RecordKind? = nil) throws(InputError) {
        if let kind {
            let options = kind.field(VisitField.service.rawValue)?.options ?? []
            guard options.contains(where: { $0.code == service.rawValue }) else {
                throw .unknownOption(field: VisitField.service.rawValue, given: service.rawValue, options: options.filter { $0.retired != true }.map(\.code))
            }
        } else {
            guard Service.builtIn.contains(service) else { throw .unknownService(service.rawValue) }
        }
        for (name, value) in extra.sorted(by: { $0.key < $1.key }) where value != .null {
            // The fields of FieldSync's own document beyond the columns (household, follow-up) hold under any version.
            guard let field = kind?.field(name) ?? Self.builtInKind?.field(name) else { throw .unknownField(name) }
            try RecordKind.check(field, value, catalogue: .shared)
        }
        if outcome == .failed && reason == nil { throw .reasonRequired(outcome) }
        if outcome == .done && reason != nil { throw .reasonNotAllowed }
        if (citizenID != nil || phone != nil) && consent == nil { throw .consentRequired }
        try Self.checkDate(visitedAt, now: now, clockSlack: clockSlack)
    }

    /// Checks that a visit is dated no later than today in Vietnam (a visit at 23:00 today is fine, one at
    /// 00:00 tomorrow is not), with `clockSlack` for two clocks a few minutes apart near midnight: the same rule
    /// for the volunteer's `log` and for every state the hub receives.
    public static func checkDate(_ visitedAt: Date, now: Date = Date(), clockSlack: TimeInterval = 600) throws(InputError) {
        if visitedAt >= VietnamTime.endOfDay(of: now.addingTimeInterval(clockSlack)) {
            throw .dateInFuture(given: VietnamTime.display(visitedAt))
        }
    }

    /// Whether a text is a well-formed visit id (a UUID, any case).
    public static func isWellFormedID(_ text: String) -> Bool { UUID(uuidString: text) != nil }
}
