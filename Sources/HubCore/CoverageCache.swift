import FieldModel
import Foundation
import SyncProtocol

/// Coverage lines kept per commune between page views (issue 31): a commune's lines are counted again only when one of
/// its records or households was written since (its `coverageStamps`), or the Vietnam day turned (follow-ups fall due).
/// A province's page then costs the look-up of each commune's last change and the counting of the communes that changed.
public actor CoverageCache {
    private var entries: [String: (stamp: String, lines: [CoverageLine])] = [:]

    public init() {}

    /// The coverage of every village of a scope, by commune and village, as `HubStorage.coverageLines` counts it.
    public func lines(in scope: Scope, now: Date, storage: any HubStorage) async throws -> [CoverageLine] {
        let day = VietnamTime.day(of: now)
        var lines: [CoverageLine] = []
        for (commune, changed) in try await storage.coverageStamps(in: scope).sorted(by: { $0.key < $1.key }) {
            let stamp = day + " " + changed
            if let entry = entries[commune], entry.stamp == stamp {
                lines += entry.lines
                continue
            }
            let counted = try await storage.coverageLines(in: Scope(commune: commune), now: now)
            entries[commune] = (stamp, counted)
            lines += counted
        }
        return lines
    }
}
