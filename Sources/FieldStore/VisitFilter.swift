#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel

/// Which visits `list` shows.
public struct VisitFilter: Sendable {
    public var service: Service?
    public var outcome: Outcome?
    /// Visits on or after this moment.
    public var since: Date?
    /// Visits before this moment.
    public var until: Date?
    /// Diacritics-insensitive text to find in the citizen's name or the note.
    public var search: String?
    /// Whether deleted visits are included.
    public var includeDeleted = false

    /// A filter that keeps every live visit.
    public init(service: Service? = nil, outcome: Outcome? = nil, since: Date? = nil, search: String? = nil,
                includeDeleted: Bool = false) {
        self.service = service
        self.outcome = outcome
        self.since = since
        self.search = search
        self.includeDeleted = includeDeleted
    }
}
