import FieldModel
import Foundation
import HubStore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore: HubStorage {
    public var replicaID: String { hubReplica.description }

    public func storeBytes() -> Int64? { nil }

    /// The devices report, from one snapshot (as HubStore+Reports.swift on SQLite).
    public func devicesReport(_ filter: ReportFilter, staleDays: Int, now: Date) async throws -> DevicesReport {
        let staleDays = min(max(staleDays, 0), HubStore.maxStaleDays)
        return try await snapshot { connection in
            var counts: [String: Int] = [:]
            for try await (device, count) in try await connection.query("""
                SELECT device, count(*) FROM records
                WHERE device IS NOT NULL AND visited_at >= \(filter.since ?? "") AND visited_at < \(filter.until ?? "9999")
                    AND deleted = 0 GROUP BY device
                """, logger: logger).decode((String, Int).self) { counts[device] = count }
            return HubStore.devicesReport(devices: try await self.devices(connection, ""), visits: counts, filter: filter,
                                          staleDays: staleDays, now: now, catalogue: self.catalogue)
        }
    }

    public func mergeReport(_ filter: ReportFilter) async throws -> MergeReport {
        throw Self.notYet("merge")
    }

    public func progressReport(_ filter: ReportFilter, targets: Targets?) async throws -> ProgressReport {
        throw Self.notYet("progress")
    }

    public func duplicatesReport(_ filter: ReportFilter) async throws -> DuplicatesReport {
        throw Self.notYet("duplicates")
    }

    /// The reports this backend does not serve yet (conflicts are served: `GET /v1/conflicts`).
    static func notYet(_ report: String) -> HubError {
        .unavailable("the \(report) report is not yet served by a hub on PostgreSQL (the devices report and conflicts are): "
                     + "export the visits with `fieldsync-server export`, or use `GET /v1/conflicts`")
    }
}
