import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// The merge report for a filter (its period and scope), from one snapshot.
    public func mergeReport(_ filter: ReportFilter) async throws -> MergeReport {
        let bounds: [HubValue] = [.text(filter.since ?? ""), .text(filter.until ?? "9999")]
        return try await snapshot { session in
            let devices = try await devices(in: session)
            let volunteers = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0.volunteer) })
            let batches = try await session.query("""
                SELECT device, count(*) AS batches, CAST(sum(received) AS BIGINT) AS received, CAST(sum(already_known) AS BIGINT) AS known,
                    CAST(sum(fast_forward) AS BIGINT) AS fast, CAST(sum(conflicts) AS BIGINT) AS conflicts,
                    CAST(sum(rejected) AS BIGINT) AS rejected, CAST(sum(merged) AS BIGINT) AS merged,
                    CAST(sum(edit_vs_delete) AS BIGINT) AS edit_vs_delete
                FROM batches WHERE received_at >= ? AND received_at < ? GROUP BY device
                """, bounds).map { row in
                (try row.text("device") ?? "", MergeReport.Totals(
                    batches: try row.int("batches"), received: try row.int("received"), alreadyKnown: try row.int("known"),
                    fastForward: try row.int("fast"), merged: try row.int("merged"), conflicts: try row.int("conflicts"),
                    editVsDelete: try row.int("edit_vs_delete"), quarantined: try row.int("rejected")))
            }
            let conflicts = try await conflictLines(status: .all, since: filter.since, until: filter.until, scope: filter.scope, in: session)
            let quarantined = try await session.query("""
                SELECT record, device, code, reason, received_at, substr(payload, 1, CAST(? AS INTEGER)) AS payload, payload_size, attempts
                FROM quarantine WHERE received_at >= ? AND received_at < ? AND resolved_at IS NULL ORDER BY received_at, id
                """, [.integer(HubLimits.reportPayloadBytes)] + bounds).map { row in
                let device = try row.text("device") ?? ""
                return MergeReport.QuarantineLine(
                    record: try row.text("record") ?? "", device: device, volunteer: volunteers[device] ?? nil, code: try row.text("code") ?? "",
                    reason: try row.text("reason") ?? "", receivedAt: try row.text("received_at") ?? "", payloadStart: try row.text("payload") ?? "",
                    payloadSize: try row.int("payload_size"), attempts: try row.int("attempts"))
            }
            let refusals = try await session.query("SELECT device, kind, detail, at FROM refusals WHERE at >= ? AND at < ? ORDER BY at, id",
                                                   bounds).map { row in
                MergeReport.RefusalLine(refusedDevice: try row.text("device"),
                                        volunteer: try row.text("device").flatMap { volunteers[$0] ?? nil }, kind: try row.text("kind") ?? "", detail: try row.text("detail") ?? "",
                                        at: try row.text("at") ?? "")
            }
            return Hub.mergeReport(since: filter.since, until: filter.until, scope: filter.scope, devices: devices, batches: batches,
                                   conflicts: conflicts, quarantined: quarantined, refusals: refusals)
        }
    }
}
