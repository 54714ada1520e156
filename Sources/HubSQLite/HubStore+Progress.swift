import HubCore
import FieldModel
import Foundation
import SQLiteKit

extension HubStore {
    /// The progress report. It reads the maintained aggregates (per day when a period is given);
    /// with a period, distinct citizens are counted from the place's visits of that period.
    public func progressReport(_ filter: ReportFilter, targets: Targets? = nil, citizens: Bool = true) throws -> ProgressReport {
        try read {
            let communes = Hub.communes(of: filter, catalogue: catalogue)
            let wanted = Set(communes.map(\.code))
            var cells: [String: [String: ProgressReport.Counts]] = [:]
            var communeCitizens: [String: Int] = [:]
            func place(_ commune: String) -> Bool { wanted.contains(commune) }
            let (where_, values) = Self.placeCondition(filter, column: "commune")

            if filter.since == nil && filter.until == nil {
                for (commune, service, outcome, reason, visits) in try db.query(
                    "SELECT commune, service, outcome, reason, visits FROM progress_totals \(where_)", values,
                    row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "", $0.int(4)) }) where place(commune) {
                    Hub.count(&cells[commune, default: [:]][service, default: .init()], outcome: outcome, reason: reason, visits: visits)
                }
                for (commune, service, citizens) in try db.query(
                    "SELECT commune, service, citizens + anonymous FROM citizen_counts \(where_)", values,
                    row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }) where place(commune) {
                    if service == "*" { communeCitizens[commune] = citizens } else { cells[commune, default: [:]][service, default: .init()].citizens = citizens }
                }
            } else {
                // Counts from the per-Vietnam-day aggregate when the period is whole Vietnam days (what a
                // person's `--since 2026-11-25` means), else from the visits themselves; distinct citizens
                // by reading the place's visits of the period.
                let (placeWhere, placeValues) = Self.placeCondition(filter, column: "commune")
                let firstDay = filter.since.map(VietnamTime.dayStarting(at:)) ?? "", endDay = filter.until.map(VietnamTime.dayStarting(at:)) ?? "9999"
                let counts: (sql: String, values: [SQLValue])
                if let firstDay, let endDay {
                    counts = ("SELECT commune, service, outcome, reason, sum(visits) FROM progress_daily "
                              + (placeWhere.isEmpty ? "WHERE " : placeWhere + " AND ") + "day >= ? AND day < ? GROUP BY 1, 2, 3, 4",
                              placeValues + [.text(firstDay), .text(endDay)])
                } else {
                    counts = ("SELECT commune, service, outcome, coalesce(reason, ''), count(*) FROM records "
                              + (placeWhere.isEmpty ? "WHERE " : placeWhere + " AND ")
                              + "visited_at >= ? AND visited_at < ? AND \(Hub.counted()) GROUP BY 1, 2, 3, 4",
                              placeValues + [.text(filter.since ?? ""), .text(filter.until ?? "9999")])
                }
                for (commune, service, outcome, reason, visits) in try db.query(counts.sql, counts.values,
                    row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2) ?? "", $0.text(3) ?? "", $0.int(4)) }) where place(commune) {
                    Hub.count(&cells[commune, default: [:]][service, default: .init()], outcome: outcome, reason: reason, visits: visits)
                }
                let visitCondition = (placeWhere.isEmpty ? "WHERE " : placeWhere + " AND ") + "visited_at >= ? AND visited_at < ? AND \(Hub.counted())"
                let bounds: [SQLValue] = [.text(filter.since ?? ""), .text(filter.until ?? "9999")]
                guard citizens else {
                    return Hub.assemble(communes: communes, cells: cells, communeCitizens: communeCitizens, filter: filter,
                                         targets: targets, catalogue: catalogue)
                }
                for (commune, service, citizens) in try db.query("""
                    SELECT commune, service, count(DISTINCT cccd_hash) + sum(cccd_hash IS NULL) FROM records \(visitCondition) GROUP BY 1, 2
                    """, placeValues + bounds, row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }) where place(commune) {
                    cells[commune, default: [:]][service, default: .init()].citizens = citizens
                }
                for (commune, citizens) in try db.query("""
                    SELECT commune, count(DISTINCT cccd_hash) + sum(cccd_hash IS NULL) FROM records \(visitCondition) GROUP BY 1
                    """, placeValues + bounds, row: { ($0.text(0) ?? "", $0.int(1)) }) where place(commune) {
                    communeCitizens[commune] = citizens
                }
            }
            return Hub.assemble(communes: communes, cells: cells, communeCitizens: communeCitizens, filter: filter,
                                 targets: targets, catalogue: catalogue)
        }
    }

    /// Visits per Vietnam day and outcome, from the per-day aggregate (the period is taken by whole Vietnam days).
    public func dailyOutcomes(_ filter: ReportFilter) throws -> [String: [String: Int]] {
        try read {
            let (placeWhere, placeValues) = Self.placeCondition(filter, column: "commune")
            let first = filter.since.flatMap(VietnamTime.day(ofCanonical:)) ?? ""
            let end = filter.until.flatMap { VietnamTime.dayStarting(at: $0) ?? VietnamTime.day(ofCanonical: $0).map { $0 + "~" } } ?? "9999"
            var days: [String: [String: Int]] = [:]
            for (day, outcome, visits) in try db.query(
                "SELECT day, outcome, sum(visits) FROM progress_daily " + (placeWhere.isEmpty ? "WHERE " : placeWhere + " AND ")
                    + "day >= ? AND day < ? GROUP BY 1, 2", placeValues + [.text(first), .text(end)],
                row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int(2)) }) {
                days[day, default: [:]][outcome] = visits
            }
            return days
        }
    }



    /// `WHERE commune …` for a place filter on a table with a commune column (province via its communes).
    static func placeCondition(_ filter: ReportFilter, column: String) -> (String, [SQLValue]) {
        if let commune = filter.commune { return ("WHERE \(column) = ?", [.text(commune)]) }
        if let province = filter.province {
            let codes = CommuneCatalogue.shared.communes(inProvince: province).map(\.code)
            guard let first = codes.first, let last = codes.last else { return ("WHERE 0", []) }
            return ("WHERE \(column) BETWEEN ? AND ?", [.text(first), .text(last)])
        }
        return ("", [])
    }

}
