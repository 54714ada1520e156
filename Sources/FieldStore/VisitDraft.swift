#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SyncCore

/// A new visit as the volunteer typed it, already validated field by field.
public struct VisitDraft: Sendable {
    /// The help given.
    public var service: Service
    /// How it ended.
    public var outcome: Outcome
    /// The citizen's commune; nil means the store's home commune.
    public var commune: String?
    /// The citizen's name (NFC).
    public var citizenName: String
    /// The citizen ID, kept raw in this store only.
    public var citizenID: CitizenID?
    /// The phone number.
    public var phone: PhoneNumber?
    /// Why it failed or is pending.
    public var reason: FailureReason?
    /// Free text.
    public var note: String
    /// When it happened; nil means now.
    public var visitedAt: Date?
    /// Whether the citizen consented to their personal data being kept.
    public var consent: Bool
    /// Values of fields a published version of the visit kind added, by name (checked against that kind).
    public var extra: [String: FieldValue] = [:]

    /// Makes a draft.
    public init(service: Service, outcome: Outcome, commune: String? = nil, citizenName: String,
                citizenID: CitizenID? = nil, phone: PhoneNumber? = nil, reason: FailureReason? = nil,
                note: String = "", visitedAt: Date? = nil, consent: Bool = true) {
        self.service = service
        self.outcome = outcome
        self.commune = commune
        self.citizenName = citizenName
        self.citizenID = citizenID
        self.phone = phone
        self.reason = reason
        self.note = note
        self.visitedAt = visitedAt
        self.consent = consent
    }
}
