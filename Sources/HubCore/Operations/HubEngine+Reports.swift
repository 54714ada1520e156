import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// The devices report for a filter: last sync, visits in the period, backlog, stale flag; from one snapshot.
    public func devicesReport(_ filter: ReportFilter, staleDays: Int, now: Date) async throws -> DevicesReport {
        let staleDays = min(max(staleDays, 0), Hub.maxStaleDays)
        return try await snapshot { session in
            let devices = try await devices(in: session)
            return Hub.devicesReport(devices: devices, visits: try await visitsPerDevice(filter, devices: devices, in: session), filter: filter,
                                     staleDays: staleDays, now: now, catalogue: catalogue)
        }
    }
}
