import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// The merge report for a period (ISO 8601 bounds, either open) and a scope.
    public func mergeReport(since: String? = nil, until: String? = nil, scope: Scope = Scope()) throws -> MergeReport {
        try read {
            let lower = since ?? "", upper = until ?? "9999"
            let devices = try self.devices()
            let byID = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0) })
            let batches = try db.query("""
                SELECT device, count(*), sum(received), sum(already_known), sum(fast_forward), sum(conflicts), sum(rejected),
                    sum(merged), sum(edit_vs_delete)
                FROM batches WHERE received_at >= ? AND received_at < ? GROUP BY device
                """, [.text(lower), .text(upper)]) { row in
                (row.text(0) ?? "", MergeReport.Totals(batches: row.int(1), received: row.int(2), alreadyKnown: row.int(3),
                                                       fastForward: row.int(4), merged: row.int(7), conflicts: row.int(5),
                                                       editVsDelete: row.int(8), quarantined: row.int(6)))
            }
            let conflicts = try conflictLines(status: .all, since: since, until: until, scope: scope)
            let quarantined = try db.query("""
                SELECT record, device, code, reason, received_at, substr(payload, 1, ?3), payload_size, attempts FROM quarantine
                WHERE received_at >= ?1 AND received_at < ?2 AND resolved_at IS NULL ORDER BY received_at, id
                """, [.text(lower), .text(upper), .integer(HubLimits.reportPayloadBytes)]) { row in
                MergeReport.QuarantineLine(record: row.text(0) ?? "", device: row.text(1) ?? "", volunteer: byID[row.text(1) ?? ""]?.volunteer,
                                           code: row.text(2) ?? "", reason: row.text(3) ?? "", receivedAt: row.text(4) ?? "",
                                           payloadStart: row.text(5) ?? "", payloadSize: row.int(6), attempts: row.int(7))
            }
            let refusals = try db.query("SELECT device, kind, detail, at FROM refusals WHERE at >= ? AND at < ? ORDER BY at, id",
                                        [.text(lower), .text(upper)]) { row in
                MergeReport.RefusalLine(refusedDevice: row.text(0), kind: row.text(1) ?? "", detail: row.text(2) ?? "", at: row.text(3) ?? "")
            }
            return Hub.mergeReport(since: since, until: until, scope: scope, devices: devices, batches: batches,
                                    conflicts: conflicts, quarantined: quarantined, refusals: refusals)
        }
    }

}
