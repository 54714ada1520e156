/// A village's coverage (issue 31), as a laptop counts it from what it holds and the hub from its store, by the same
/// rules: households in the list, those visited at least once, adults declared; citizens with VNeID level 2 applied
/// (a pending visit, not activated yet) and activated (a done visit); open follow-ups whose day has come or passed.
/// A citizen is told apart by pseudonym, else by household and name, else counts once per visit.
public struct CoverageLine: Sendable, Equatable, Codable {
    public var commune: String
    /// The village's name; empty for visits of no household (or the commune's or report's total).
    public var village: String
    public var households = 0
    public var visited = 0
    public var adults = 0
    public var level2Pending = 0
    public var level2Done = 0
    public var due = 0
    public var overdue = 0

    public init(commune: String, village: String) {
        self.commune = commune
        self.village = village
    }

    /// Adds another line's figures to this one.
    public mutating func add(_ other: CoverageLine) {
        households += other.households
        visited += other.visited
        adults += other.adults
        level2Pending += other.level2Pending
        level2Done += other.level2Done
        due += other.due
        overdue += other.overdue
    }

    /// Activated per 100 adults declared (nil without adults).
    public var activatedPercent: Double? { adults == 0 ? nil : (Double(level2Done) / Double(adults) * 1000).rounded() / 10 }
}
