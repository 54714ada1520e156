import SyncProtocol

/// What a report covers: a period of visit dates and a place.
public struct ReportFilter: Sendable, Equatable, Codable {
    /// Visits on or after this moment (canonical ISO 8601), or from the start.
    public var since: String?
    /// Visits before this moment, or up to now.
    public var until: String?
    /// Only this province (2 digits).
    public var province: String?
    /// Only this commune (5 digits).
    public var commune: String?

    /// Makes a filter.
    public init(since: String? = nil, until: String? = nil, province: String? = nil, commune: String? = nil) {
        self.since = since
        self.until = until
        self.province = province
        self.commune = commune
    }

    /// The same filter narrowed to a coordinator's scope.
    /// - Throws: `HubError.outOfScope` when it asks for a place outside the scope.
    public func limited(to scope: Scope) throws(HubError) -> ReportFilter {
        var narrowed = self
        if let own = scope.commune {
            guard commune == nil || commune == own, province == nil || province == Hub.province(of: own) else {
                throw .outOfScope("this token may read reports of commune \(own) only")
            }
            narrowed.commune = own
            narrowed.province = nil
        } else if let own = scope.province {
            if let commune, Hub.province(of: commune) != own {
                throw .outOfScope("commune \(commune) is outside province \(own), the only one this token may read")
            }
            guard province == nil || province == own else { throw .outOfScope("this token may read reports of province \(own) only") }
            if commune == nil { narrowed.province = own }
        }
        return narrowed
    }
}

extension ReportFilter {
    /// The filter's place as a scope.
    public var scope: Scope { Scope(commune: commune, province: province) }
}
