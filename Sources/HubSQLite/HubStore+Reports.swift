import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol
import TextSafety

extension HubStore {

    /// The duplicates report: every (citizen, service) with more than one live visit in a commune of
    /// the scope, found in the distinct-citizen set; then that commune's visits of the service, grouped
    /// by their whole match form (a 64-bit key shared by two citizens never joins them).
    public func duplicatesReport(_ filter: ReportFilter) throws -> DuplicatesReport {
        try read {
            let (placeWhere, placeValues) = Self.placeCondition(filter, column: "commune")
            let condition = (placeWhere.isEmpty ? "WHERE " : placeWhere + " AND ") + "visits > 1 AND service <> '*'"
            var repeated: [ReportAggregates.CountKey: Set<Int64>] = [:]
            for (commune, service, citizen) in try db.query("SELECT commune, service, citizen FROM citizens INDEXED BY citizens_repeated \(condition)",
                                                            placeValues, row: { ($0.text(0) ?? "", $0.text(1) ?? "", $0.int64(2)) }) {
                repeated[ReportAggregates.CountKey(commune: commune, service: service), default: []].insert(citizen)
            }
            let visitsOf = try db.cached("""
                SELECT id, commune, outcome, visited_at, volunteer, team, device, cccd_masked, name, cccd_hash FROM records
                WHERE commune = ? AND service = ? AND deleted = 0 AND cccd_hash IS NOT NULL
                """)
            var rows: [DuplicatesReport.Row] = []
            for (place, citizens) in repeated {
                rows += try visitsOf.query([.text(place.commune), .text(place.service)]) { row in
                    DuplicatesReport.Row(id: row.text(0) ?? "", commune: row.text(1) ?? "", service: place.service, outcome: row.text(2) ?? "",
                                         visitedAt: row.text(3) ?? "", volunteer: row.text(4) ?? "", team: row.text(5) ?? "",
                                         device: row.text(6), masked: row.text(7) ?? "", name: row.text(8) ?? "", hash: row.text(9) ?? "")
                }.filter { citizens.contains(ReportAggregates.citizenKey($0.hash)) }
            }
            return DuplicatesReport(filter: filter, rows: rows)
        }
    }

}
