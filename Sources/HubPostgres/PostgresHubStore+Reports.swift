import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore: HubStorage {
    public var replicaID: String { hubReplica.description }

    public func storeBytes() -> Int64? { nil }

    public func visitsPerDevice(_ filter: ReportFilter, devices: [Device], in session: PostgresSession) async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for row in try await session.query("""
            SELECT device, count(*) AS visits FROM records
            WHERE device IS NOT NULL AND visited_at >= ? AND visited_at < ? AND deleted = 0 GROUP BY device
            """, [.text(filter.since ?? ""), .text(filter.until ?? "9999")]) {
            counts[try row.text("device") ?? ""] = try row.int("visits")
        }
        return counts
    }

    /// The progress report, counted from the visits themselves in one snapshot (no aggregate rows that
    /// every push through every hub would have to update); a period bounds `visited_at` exactly.
    public func progressCounts(_ filter: ReportFilter, targets: Targets?, citizens withCitizens: Bool) async throws -> ProgressReport {
        let communes = Hub.communes(of: filter, catalogue: catalogue)
        var condition = "\(Hub.counted()) AND visited_at >= $1 AND visited_at < $2"
        var binds = PostgresBindings()
        binds.append(filter.since ?? "")
        binds.append(filter.until ?? "9999")
        if let commune = filter.commune {
            condition += " AND commune = $3"
            binds.append(commune)
        } else if let province = filter.province {
            condition += " AND province = $3"
            binds.append(province)
        }
        let citizens = "(count(DISTINCT cccd_hash) + count(*) FILTER (WHERE cccd_hash IS NULL))::bigint"
        let counts = PostgresQuery(unsafeSQL: """
            SELECT commune, service, outcome, coalesce(reason, ''), count(*)::bigint FROM records WHERE \(condition) GROUP BY 1, 2, 3, 4
            """, binds: binds)
        let perService = PostgresQuery(unsafeSQL: "SELECT commune, service, \(citizens) FROM records WHERE \(condition) GROUP BY 1, 2",
                                       binds: binds)
        let perCommune = PostgresQuery(unsafeSQL: "SELECT commune, \(citizens) FROM records WHERE \(condition) GROUP BY 1", binds: binds)
        let wanted = Set(communes.map(\.code))
        return try await connectionSnapshot { connection in
            var cells: [String: [String: ProgressReport.Counts]] = [:]
            var communeCitizens: [String: Int] = [:]
            for try await (commune, service, outcome, reason, visits) in try await connection.query(counts, logger: logger)
                .decode((String, String, String, String, Int).self) where wanted.contains(commune) {
                Hub.count(&cells[commune, default: [:]][service, default: .init()], outcome: outcome, reason: reason, visits: visits)
            }
            guard withCitizens else {
                return Hub.assemble(communes: communes, cells: cells, communeCitizens: communeCitizens, filter: filter,
                                         targets: targets, catalogue: self.catalogue)
            }
            for try await (commune, service, count) in try await connection.query(perService, logger: logger)
                .decode((String, String, Int).self) where wanted.contains(commune) {
                cells[commune, default: [:]][service, default: .init()].citizens = count
            }
            for try await (commune, count) in try await connection.query(perCommune, logger: logger)
                .decode((String, Int).self) where wanted.contains(commune) {
                communeCitizens[commune] = count
            }
            return Hub.assemble(communes: communes, cells: cells, communeCitizens: communeCitizens, filter: filter,
                                     targets: targets, catalogue: self.catalogue)
        }
    }

    /// The duplicates report: live visits whose (commune, service, keyed CCCD hash) repeats, in one snapshot.
    public func duplicatesReport(_ filter: ReportFilter) async throws -> DuplicatesReport {
        var place = ""
        var binds = PostgresBindings()
        if let commune = filter.commune {
            place = " AND commune = $1"
            binds.append(commune)
        } else if let province = filter.province {
            place = " AND province = $1"
            binds.append(province)
        }
        let live = "deleted = 0 AND cccd_hash IS NOT NULL" + place
        let query = PostgresQuery(unsafeSQL: """
            SELECT id, commune, service, outcome, visited_at, volunteer, team, device, cccd_masked, name, cccd_hash FROM records
            WHERE \(live) AND (commune, service, cccd_hash) IN
                (SELECT commune, service, cccd_hash FROM records WHERE \(live) GROUP BY 1, 2, 3 HAVING count(*) > 1)
            """, binds: binds)
        return try await connectionSnapshot { connection in
            var rows: [DuplicatesReport.Row] = []
            for try await row in try await connection.query(query, logger: logger)
                .decode((String, String, String, String, String, String, String, String?, String?, String, String).self) {
                rows.append(.init(id: row.0, commune: row.1, service: row.2, outcome: row.3, visitedAt: row.4, volunteer: row.5,
                                  team: row.6, device: row.7, masked: row.8 ?? "", name: row.9, hash: row.10))
            }
            return DuplicatesReport(filter: filter, rows: rows)
        }
    }
}
