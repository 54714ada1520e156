#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SyncCore

/// An edit: the fields to set; for optional fields `.some(nil)` clears the value.
public struct VisitChanges: Sendable {
    public var service: Service?
    public var outcome: Outcome?
    public var commune: String?
    public var citizenName: String?
    public var citizenID: CitizenID??
    public var phone: PhoneNumber??
    public var reason: FailureReason??
    public var note: String?
    public var visitedAt: Date?
    /// Published fields to set, by name (`.null` clears one).
    public var extra: [String: FieldValue] = [:]

    /// An edit that changes nothing yet.
    public init() {}

    /// Whether no field was given.
    public var isEmpty: Bool {
        service == nil && outcome == nil && commune == nil && citizenName == nil && citizenID == nil
            && phone == nil && reason == nil && note == nil && visitedAt == nil && extra.isEmpty
    }
}
