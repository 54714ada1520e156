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
                                           payload: row.text(5) ?? "", payloadSize: row.int(6), attempts: row.int(7))
            }
            let refusals = try db.query("SELECT device, kind, detail, at FROM refusals WHERE at >= ? AND at < ? ORDER BY at, id",
                                        [.text(lower), .text(upper)]) { row in
                MergeReport.RefusalLine(device: row.text(0), kind: row.text(1) ?? "", detail: row.text(2) ?? "", at: row.text(3) ?? "")
            }
            return Self.mergeReport(since: since, until: until, scope: scope, devices: devices, batches: batches,
                                    conflicts: conflicts, quarantined: quarantined, refusals: refusals)
        }
    }

    /// The merge report assembled from what the store holds for the period (both backends): batch
    /// totals per device, conflict entries in scope, open quarantine entries and refusals, oldest first.
    package static func mergeReport(since: String?, until: String?, scope: Scope, devices: [Device],
                                    batches: [(String, MergeReport.Totals)], conflicts: [MergeReport.ConflictLine],
                                    quarantined allQuarantined: [MergeReport.QuarantineLine],
                                    refusals allRefusals: [MergeReport.RefusalLine]) -> MergeReport {
        let byID = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0) })
        let inScope = { (id: String?) -> Bool in
            guard let id, let device = byID[id] else { return scope.commune == nil && scope.province == nil }
            if let commune = scope.commune { return device.scope.commune == commune }
            if let province = scope.province { return device.scope.commune.map { Self.province(of: $0) == province } ?? false }
            return true
        }
        var perDevice: [String: MergeReport.Totals] = [:]
        var totals = MergeReport.Totals()
        for (device, line) in batches where inScope(device) {
            perDevice[device] = line
            totals.batches += line.batches
            totals.received += line.received
            totals.alreadyKnown += line.alreadyKnown
            totals.fastForward += line.fastForward
            totals.merged += line.merged
        }
        totals.conflicts = conflicts.count { $0.kind == Conflict.Kind.conflict.rawValue }
        totals.editVsDelete = conflicts.count - totals.conflicts
        totals.resolved = conflicts.count { $0.resolution != nil }

        // Quarantine is summarised: every entry is counted, the first `reportQuarantineLines` are listed
        // with the start of their payload, so one device cannot make every report huge.
        let scopedQuarantine = allQuarantined.filter { inScope($0.device) }
        let quarantined = Array(scopedQuarantine.prefix(HubLimits.reportQuarantineLines))
        totals.quarantined = scopedQuarantine.count

        let refusals = allRefusals.filter { inScope($0.device) }
        totals.refusals = refusals.count
        for line in refusals { if let device = line.device { perDevice[device, default: .init()].refusals += 1 } }

        let lines = perDevice.keys.sorted().map { id in
            MergeReport.DeviceLine(device: id, volunteer: byID[id]?.volunteer, team: byID[id]?.scope.team,
                                   commune: byID[id]?.scope.commune, totals: perDevice[id] ?? .init())
        }
        return MergeReport(since: since, until: until, totals: totals, devices: lines, conflicts: conflicts,
                           quarantined: quarantined, quarantinedNotListed: scopedQuarantine.count - quarantined.count,
                           refusals: Array(refusals.prefix(HubLimits.reportQuarantineLines)),
                           refusalsNotListed: max(0, refusals.count - HubLimits.reportQuarantineLines))
    }
}
