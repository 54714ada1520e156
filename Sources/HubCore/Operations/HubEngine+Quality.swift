import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// The data-quality flags of the visits of a scope and period (issue 33), by `rules`.
    public func qualityFlags(scope: Scope, since: String?, until: String?, rules: QualityRules) async throws -> [QualityFlag] {
        try await snapshot { session in
            let (place, values) = scope.condition()
            let rows = try await session.query("""
                SELECT \(HubRow.columns) FROM records WHERE \(place) AND deleted = 0 AND visited_at >= ? AND visited_at < ?
                """, values + [.text(since ?? ""), .text(until ?? "9999")])
            return QualityCheck.flags(try rows.map { try HubRow.decode($0).visit }, rules: rules)
        }
    }
}
