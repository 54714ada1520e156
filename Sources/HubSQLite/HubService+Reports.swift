import HubCore
import SyncProtocol

extension HubService {
    /// Counted through `records_by_device`: the whole country in one pass, a place's devices each an index range.
    public func visitsPerDevice(_ filter: ReportFilter, devices: [Device], in session: SQLiteSession) async throws -> [String: Int] {
        let bounds: [HubValue] = [.text(filter.since ?? ""), .text(filter.until ?? "9999")]
        var counts: [String: Int] = [:]
        if filter.commune == nil && filter.province == nil {
            for row in try await session.query("""
                SELECT device, count(*) AS visits FROM records INDEXED BY records_by_device
                WHERE device IS NOT NULL AND visited_at >= ? AND visited_at < ? AND deleted = 0 GROUP BY device
                """, bounds) {
                counts[try row.text("device") ?? "", default: 0] += try row.int("visits")
            }
        } else {
            for device in devices where filter.scope.covers(commune: device.scope.commune ?? "") {
                counts[device.id] = try await session.query("""
                    SELECT count(*) AS visits FROM records INDEXED BY records_by_device
                    WHERE device = ? AND visited_at >= ? AND visited_at < ? AND deleted = 0
                    """, [.text(device.id)] + bounds).first?.int("visits") ?? 0
            }
        }
        return counts
    }
}
