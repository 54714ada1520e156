/// Progress per commune and service — done, pending, failed by reason, distinct citizens — rolled up
/// to provinces and the country, against targets when a targets file is given.
public struct ProgressReport: Codable, Sendable, Equatable {
    /// Counts of one cell, commune, province or the whole report.
    public struct Counts: Codable, Sendable, Equatable {
        package init() {}
        public var done = 0
        public var pending = 0
        public var failed = 0
        /// Failed visits by reason code.
        public var failedByReason: [String: Int] = [:]
        /// Distinct citizens helped (by keyed CCCD hash; a visit without a CCCD counts as one citizen).
        public var citizens = 0
        /// The target for done visits, when a targets file covers this cell.
        public var target: Int?
        /// Done visits counted toward targets: at most the target per commune and service, so one
        /// service's surplus never hides another's shortfall when rolled up.
        public var reached: Int?
        /// reached / target, in percent.
        public var percent: Double?
        /// target − reached.
        public var left: Int?

        /// Every visit counted (done + pending + failed).
        public var visits: Int { done + pending + failed }

        mutating func add(_ other: Counts) {
            done += other.done
            pending += other.pending
            failed += other.failed
            for (reason, n) in other.failedByReason { failedByReason[reason, default: 0] += n }
            citizens += other.citizens
            if let t = other.target { target = (target ?? 0) + t }
            if let r = other.reached { reached = (reached ?? 0) + r }
        }

        /// For a single commune and service: what of its target the done visits reach.
        mutating func setTarget(_ value: Int?) {
            target = value
            reached = value.map { min(done, $0) }
        }

        mutating func applyTarget() {
            guard let target, let reached else { return }
            percent = target == 0 ? 100 : (Double(reached) / Double(target) * 1000).rounded() / 10
            left = max(0, target - reached)
        }
    }

    /// One service in one commune.
    public struct ServiceLine: Codable, Sendable, Equatable {
        public var service: String
        public var counts: Counts
    }

    /// One commune: its services, and whether anything at all was logged there.
    public struct CommuneLine: Codable, Sendable, Equatable {
        public var commune: String
        public var name: String
        public var active: Bool
        public var totals: Counts
        public var services: [ServiceLine]
    }

    /// One province.
    public struct ProvinceLine: Codable, Sendable, Equatable {
        public var province: String
        public var name: String
        public var totals: Counts
        public var communes: [CommuneLine]
    }

    public var filter: ReportFilter
    /// Whether targets were applied (then everything is sorted worst first).
    public var withTargets: Bool
    public var totals: Counts
    public var provinces: [ProvinceLine]
    /// Communes in scope with no visit at all.
    public var inactiveCommunes: Int
    /// Where the visits stand in review (issue 33): the counted ones accepted, returned or not yet reviewed, and the
    /// rejected ones no figure counts.
    public var review: ReviewCounts?

    /// Visits of a report by review state.
    public struct ReviewCounts: Codable, Sendable, Equatable {
        public var accepted = 0
        /// Returned for correction (still counted until rejected).
        public var returned = 0
        public var unreviewed = 0
        /// Not counted anywhere.
        public var rejected = 0
        /// Counted and not yet accepted.
        public var awaiting: Int { returned + unreviewed }

        /// Counts by state.
        public init(accepted: Int = 0, returned: Int = 0, unreviewed: Int = 0, rejected: Int = 0) {
            self.accepted = accepted
            self.returned = returned
            self.unreviewed = unreviewed
            self.rejected = rejected
        }
    }
}
