import FieldModel
import Foundation
import SyncProtocol

// Coverage by village (issue 31), on every engine: households in the list, visited, adults, VNeID level 2 applied and
// activated, follow-ups due — counted by the rules `CoverageLine` states, the laptop's `fieldsync progress` too.
extension HubEngine {
    /// The coverage of every village of a scope (and of its visits of no household, village ""), by commune and village.
    public func coverageLines(in scope: Scope, now: Date) async throws -> [CoverageLine] {
        let today = VietnamTime.day(of: now)
        guard let dayStart = VietnamTime.start(ofDay: today),
              let dayEnd = VietnamTime.start(ofDay: VietnamTime.day(of: now.addingTimeInterval(86_400)))
        else { return [] }
        return try await snapshot { session in
            // PostgreSQL's JIT would compile these queries for ~0.7 s (their correlated look-ups are estimated dear)
            // where they run in tens of milliseconds.
            if session.dialect == .postgres { try await session.execute("SET LOCAL jit = off") }
            var lines: [String: CoverageLine] = [:]
            func update(_ commune: String, _ village: String, _ change: (inout CoverageLine) -> Void) {
                var line = lines[commune + "|" + village] ?? CoverageLine(commune: commune, village: village)
                change(&line)
                lines[commune + "|" + village] = line
            }
            let (households, householdValues) = scope.condition("h.")
            for row in try await session.query("""
                SELECT h.commune, coalesce(h.village, '') AS village, count(*) AS households, CAST(coalesce(sum(h.amount), 0) AS BIGINT) AS adults,
                    CAST(sum(CASE WHEN EXISTS (SELECT 1 FROM records r WHERE r.household = h.id AND r.commune = h.commune AND \(Hub.counted("r."))) THEN 1 ELSE 0 END) AS BIGINT) AS visited
                FROM kind_records h WHERE h.kind = 'household' AND h.deleted = 0 AND \(households) GROUP BY h.commune, h.village
                """, householdValues) {
                let (households, adults, visited) = (try row.int("households"), try row.int("adults"), try row.int("visited"))
                update(try row.text("commune") ?? "", try row.text("village") ?? "") {
                    $0.households = households
                    $0.adults = adults
                    $0.visited = visited
                }
            }
            let (visits, visitValues) = scope.condition("r.")
            // Pending: no done visit of the same citizen — the same pseudonym, or without one the same household and
            // name (CoverageLine) — each looked up by its own index.
            for row in try await session.query("""
                SELECT r.commune, coalesce(h.village, '') AS village, r.outcome,
                    count(DISTINCT coalesce(r.cccd_hash, r.household || '|' || r.name, r.id)) AS citizens
                FROM records r LEFT JOIN kind_records h ON h.id = r.household AND h.kind = 'household' AND h.deleted = 0
                WHERE r.service = 'vneid-level2' AND \(Hub.counted("r.")) AND \(visits) AND (r.outcome = 'done' OR (r.outcome = 'pending'
                    AND NOT EXISTS (SELECT 1 FROM records d WHERE r.cccd_hash IS NOT NULL AND d.cccd_hash IS NOT NULL AND d.province = r.province
                        AND d.service = 'vneid-level2' AND d.cccd_hash = r.cccd_hash AND \(Hub.counted("d.")) AND d.commune = r.commune
                        AND d.outcome = 'done')
                    AND NOT EXISTS (SELECT 1 FROM records d WHERE r.cccd_hash IS NULL AND d.household = r.household AND d.commune = r.commune
                        AND d.cccd_hash IS NULL AND d.name = r.name AND d.service = 'vneid-level2' AND d.outcome = 'done' AND \(Hub.counted("d.")))))
                GROUP BY r.commune, coalesce(h.village, ''), r.outcome
                """, visitValues) {
                let (outcome, citizens) = (try row.text("outcome"), try row.int("citizens"))
                update(try row.text("commune") ?? "", try row.text("village") ?? "") {
                    if outcome == "done" { $0.level2Done = citizens } else { $0.level2Pending = citizens }
                }
            }
            // Open follow-ups whose day has come.
            for row in try await session.query("SELECT r.commune, coalesce(h.village, '') AS village, r.follow_up " + Self.openFollowUps(visits),
                                               [.text(dayEnd)] + visitValues) {
                let overdue = (try row.text("follow_up") ?? "") < dayStart
                update(try row.text("commune") ?? "", try row.text("village") ?? "") {
                    if overdue { $0.overdue += 1 } else { $0.due += 1 }
                }
            }
            return lines.values.sorted {
                ($0.commune, $0.village.isEmpty ? 1 : 0, VietnameseText.fold($0.village)) < ($1.commune, $1.village.isEmpty ? 1 : 0, VietnameseText.fold($1.village))
            }
        }
    }

    /// What changed last in each commune of a scope that has a household or a visit: a text that differs once any of its
    /// records or households is written (their highest change numbers), for `CoverageCache`.
    public func coverageStamps(in scope: Scope) async throws -> [String: String] {
        let communes: [String]
        if let commune = scope.commune {
            communes = [commune]
        } else {
            communes = catalogue.communes.keys.filter { scope.covers(commune: $0) }.sorted()
        }
        return try await snapshot { session in
            var stamps: [String: String] = [:]
            for commune in communes {
                guard let row = try await session.query("""
                    SELECT (SELECT max(hub_seq) FROM records WHERE commune = ?) AS visits,
                        (SELECT max(hub_seq) FROM kind_records WHERE commune = ?) AS others
                    """, [.text(commune), .text(commune)]).first else { continue }
                let visits = try row.isNull("visits") ? nil : try row.counter("visits")
                let others = try row.isNull("others") ? nil : try row.counter("others")
                guard visits != nil || others != nil else { continue }
                stamps[commune] = "\(visits ?? 0)/\(others ?? 0)"
            }
            return stamps
        }
    }

    /// The follow-ups of a scope past their day (before today in Vietnam), by team, oldest first (at most `limit`).
    public func overdueFollowUps(in scope: Scope, now: Date, limit: Int = 500) async throws -> [OverdueFollowUp] {
        guard let dayStart = VietnamTime.start(ofDay: VietnamTime.day(of: now)) else { return [] }
        return try await snapshot { session in
            let (visits, values) = scope.condition("r.")
            return try await session.query("""
                SELECT r.id, r.team, r.volunteer, r.service, r.commune, coalesce(h.village, '') AS village, r.follow_up \(Self.openFollowUps(visits))
                ORDER BY r.team, r.follow_up, r.id LIMIT ?
                """, [.text(dayStart)] + values + [.integer(limit)]).map { row in
                OverdueFollowUp(visit: try row.text("id") ?? "", team: try row.text("team") ?? "", volunteer: try row.text("volunteer") ?? "",
                                service: try row.text("service") ?? "", commune: try row.text("commune") ?? "",
                                village: try row.text("village") ?? "", on: try row.text("follow_up") ?? "")
            }
        }
    }

    /// `FROM … WHERE …` of the visits (`r`, with their household's village `h`) inside `place` whose follow-up is open and
    /// falls before a bound (the first `?`): no later live visit for the same service of the same citizen — the same
    /// pseudonym in the commune, or the same household and name — closed it (FieldModel.FollowUps).
    static func openFollowUps(_ place: String) -> String {
        let later = "l.service = r.service AND l.deleted = 0 AND (l.visited_at > r.visited_at OR (l.visited_at = r.visited_at AND l.id > r.id))"
        return """
            FROM records r LEFT JOIN kind_records h ON h.id = r.household AND h.kind = 'household' AND h.deleted = 0
            WHERE r.follow_up IS NOT NULL AND r.follow_up < ? AND \(place)
                AND NOT EXISTS (SELECT 1 FROM records l WHERE r.cccd_hash IS NOT NULL AND l.cccd_hash IS NOT NULL AND l.province = r.province
                    AND l.service = r.service AND l.cccd_hash = r.cccd_hash AND l.commune = r.commune AND \(later))
                AND NOT EXISTS (SELECT 1 FROM records l WHERE l.household = r.household AND l.commune = r.commune AND l.name = r.name
                    AND \(later))
            """
    }
}

/// A follow-up past its day: the visit, who logged it, where, and when it was due (canonical UTC, a Vietnam midnight).
public struct OverdueFollowUp: Sendable, Equatable, Codable {
    public var visit: String
    public var team: String
    public var volunteer: String
    public var service: String
    public var commune: String
    public var village: String
    public var on: String
}
