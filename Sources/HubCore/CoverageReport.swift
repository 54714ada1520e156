import FieldModel
import Foundation
import SyncProtocol

/// Coverage of a place (issue 31): its villages' households, visits and follow-ups (`CoverageLine`), rolled up to
/// communes and the whole; citizens helped per service; and the trend by Vietnam week.
public struct CoverageReport: Codable, Sendable, Equatable {
    /// A Vietnam week (starting on Monday) of the trend.
    public struct Week: Codable, Sendable, Equatable {
        /// The Monday it starts on (`2026-11-30`).
        public var start: String
        public var visits = 0
        public var done = 0
    }

    public var filter: ReportFilter
    /// The Vietnam day the due and overdue follow-ups are counted on.
    public var day: String
    public var villages: [CoverageLine]
    /// Each commune's villages summed (village empty).
    public var communes: [CoverageLine]
    public var total: CoverageLine
    /// Distinct citizens helped (any outcome; the progress report's count), by service code, in the period.
    public var citizensByService: [String: Int]
    /// The last weeks up to the report's day (12, or the period's).
    public var weeks: [Week]
}

extension HubStorage {
    /// The coverage report of a filter's place: villages as they are now, citizens and trend over its period (the last
    /// 12 weeks without one).
    public func coverageReport(_ filter: ReportFilter, now: Date) async throws -> CoverageReport {
        let scope = filter.scope
        let villages = try await coverageLines(in: scope, now: now)
        var communes: [String: CoverageLine] = [:]
        var total = CoverageLine(commune: "", village: "")
        for line in villages {
            communes[line.commune, default: CoverageLine(commune: line.commune, village: "")].add(line)
            total.add(line)
        }
        let progress = try await progressReport(filter, targets: nil)
        var citizens: [String: Int] = [:]
        for commune in progress.provinces.flatMap(\.communes) {
            for service in commune.services where service.counts.citizens > 0 { citizens[service.service, default: 0] += service.counts.citizens }
        }
        var trendFilter = filter
        if trendFilter.since == nil { trendFilter.since = ISODate.format(now.addingTimeInterval(-84 * 86_400)) }
        var weeks: [String: CoverageReport.Week] = [:]
        for (day, outcomes) in try await dailyOutcomes(trendFilter) {
            guard let start = Self.monday(of: day) else { continue }
            var week = weeks[start] ?? CoverageReport.Week(start: start)
            week.visits += outcomes.values.reduce(0, +)
            week.done += outcomes["done"] ?? 0
            weeks[start] = week
        }
        return CoverageReport(filter: filter, day: VietnamTime.day(of: now), villages: villages,
                              communes: communes.values.sorted { $0.commune < $1.commune }, total: total, citizensByService: citizens,
                              weeks: weeks.values.sorted { $0.start < $1.start })
    }

    /// The Monday of a Vietnam day's week (`2026-12-07` → `2026-12-07`, `2026-12-09` → `2026-12-07`).
    static func monday(of day: String) -> String? {
        guard let date = ISODate.parseCanonical(day + "T00:00:00Z") else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC") ?? calendar.timeZone
        let weekday = calendar.component(.weekday, from: date)  // Sunday 1 … Saturday 7
        return String(ISODate.format(date.addingTimeInterval(-Double((weekday + 5) % 7) * 86_400)).prefix(10))
    }
}
