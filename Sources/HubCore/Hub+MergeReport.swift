import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// The merge report, written once for every storage engine.
extension Hub {
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
