import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// The data-quality flags of the visits of a scope and period (issue 33), by `rules`: those of the visits themselves
    /// (`QualityCheck.flags`) and the villages whose coverage jumped in a day (`QualityCheck.coverageJumps`).
    public func qualityFlags(scope: Scope, since: String?, until: String?, rules: QualityRules) async throws -> [QualityFlag] {
        try await snapshot { session in
            let (place, values) = scope.condition()
            let rows = try await session.query("""
                SELECT \(HubRow.columns) FROM records WHERE \(place) AND deleted = 0 AND visited_at >= ? AND visited_at < ?
                """, values + [.text(since ?? ""), .text(until ?? "9999")])
            var flags = QualityCheck.flags(try rows.map { try HubRow.decode($0).visit }, rules: rules)

            // Each household of the scope's lists with its first counted visit (of all time: "first" is not the period's).
            let (households, householdValues) = scope.condition("h.")
            let firsts = try await session.query("""
                SELECT h.commune, coalesce(h.village, '') AS village,
                    (SELECT min(r.visited_at) FROM records r WHERE r.household = h.id AND r.commune = h.commune AND \(Hub.counted("r."))) AS first
                FROM kind_records h WHERE h.kind = 'household' AND h.deleted = 0 AND \(households)
                """, householdValues).map { row in
                FirstVisit(commune: try row.text("commune") ?? "", village: try row.text("village") ?? "",
                           at: try row.isNull("first") ? nil : try row.text("first"))
            }
            for jump in QualityCheck.coverageJumps(firsts, since: since, until: until, rules: rules) {
                guard let start = VietnamTime.start(ofDay: jump.day), let next = ISODate.parseCanonical(start).map({ $0.addingTimeInterval(86_400) })
                else { continue }
                let visits = try await session.query("""
                    SELECT r.id FROM records r JOIN kind_records h ON h.id = r.household AND h.kind = 'household'
                    WHERE h.commune = ? AND coalesce(h.village, '') = ? AND r.commune = h.commune AND r.visited_at >= ? AND r.visited_at < ?
                        AND \(Hub.counted("r.")) ORDER BY r.visited_at DESC, r.id LIMIT 50
                    """, [.text(jump.commune), .text(jump.village), .text(start), .text(ISODate.format(next))]).map { try $0.text("id") ?? "" }
                let commune = catalogue.commune(jump.commune)?.name ?? jump.commune
                flags.append(QualityFlag(rule: "coverage-jump", subject: jump.village.isEmpty ? commune : "\(jump.village), \(commune)",
                                         figures: ["households": jump.households, "of": jump.listed,
                                                   "percent": Int((Double(jump.households) * 100 / Double(max(1, jump.listed))).rounded())],
                                         visits: visits, day: jump.day))
            }
            return flags.sorted { ($0.rule, $0.subject, $0.day ?? "") < ($1.rule, $1.subject, $1.day ?? "") }
        }
    }
}
