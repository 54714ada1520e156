import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore

extension HubStore {
    /// Erases a citizen's data from these visits (Protocol/README.md §4.3): a hub write of `erased`
    /// to each (a normal write: it replicates, and erasure dominates whatever is written alongside or
    /// after), their conflict entries' values blanked, their quarantined payloads emptied — in one
    /// transaction, with SQLite's secure_delete on so the old bytes are overwritten, then the WAL
    /// truncated. The visits stay (service, outcome, commune, date, pseudonym): progress does not change.
    public func erase(_ ids: [String], now: Date = Date()) throws -> ErasureCounts {
        try overwritingDeletes {
            try write {
                var counts = ErasureCounts()
                for id in ids {
                    guard let stored = try storedVisit(id) else { throw HubError.notFound("no visit \(id) at the hub") }
                    if !stored.visit.erased {
                        _ = try hubWrite([VisitField.erased.rawValue: .bool(true)], to: stored, now: now, validating: false)
                        counts.visits += 1
                    }
                    let entries = try db.query("SELECT id, body, resolution FROM conflicts WHERE record = ?", [.text(id)]) {
                        ($0.text(0) ?? "", $0.text(1) ?? "", $0.text(2))
                    }
                    for (entry, body, resolution) in entries {
                        let conflict = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
                        let resolved = try resolution.map { try JSONDecoder().decode(ConflictResolution.self, from: Data($0.utf8)).erasingPersonal() }
                        try db.run("UPDATE conflicts SET body = ?, resolution = ? WHERE id = ?",
                                   [.text(Hub.json(conflict.erasingPersonal())), .text(resolved.map(Hub.json)), .text(entry)])
                        counts.conflicts += 1
                    }
                    try db.run("UPDATE quarantine SET payload = '' WHERE record = ? AND payload <> ''", [.text(id)])
                    counts.quarantined += db.changes
                }
                return counts
            }
        }
    }
}
