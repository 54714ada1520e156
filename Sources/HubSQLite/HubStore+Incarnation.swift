import HubCore
import FieldModel
import Foundation
import Platform
import SQLiteKit

/// A hub store restored from a backup has gone back in time: devices that synced after the backup
/// hold writes it no longer has, and pull cursors beyond its change counter. Beside the store, a
/// high-water mark file (`<store>.hwm`: the change counter and incarnation last committed) survives
/// a restore of the store file; when the store is behind it at open, the store takes a new
/// incarnation, which every push answer carries, and devices that see it change send everything
/// again and pull from the start (Protocol/README.md §6).
extension HubStore {
    var highWaterMarkPath: String { path + ".hwm" }

    /// Compares the store with its high-water mark, taking a new incarnation if it went back.
    func checkIncarnation(now: Date) throws {
        // The mark first: it is written after each commit, so read before the store it can only be behind it.
        // Losing this error is safe: no readable mark means nothing to compare with (a new store, or a mark
        // removed by hand); the mark is written again at the next commit.
        let mark = (try? String(contentsOfFile: highWaterMarkPath, encoding: .utf8))?.split(separator: " ")
        let (seq, stored) = try db.query("SELECT hub_seq, incarnation FROM hub") { (UInt64(clamping: $0.int64(0)), $0.text(1) ?? "") }.first
            ?? (0, "")
        var current = stored
        let markSeq = mark?.first.flatMap { UInt64($0) }
        let markIncarnation = mark?.dropFirst().first.map { String($0).trimmingCharacters(in: .whitespacesAndNewlines) }
        let wentBack = markSeq.map { $0 > seq } ?? false || (markIncarnation != nil && !stored.isEmpty && markIncarnation != stored)
        if current.isEmpty || wentBack {
            current = Hub.randomHex(bytes: 8)
            try db.run("UPDATE hub SET incarnation = ?, incarnation_at = ?", [.text(current), .text(ISODate.format(now))])
            if wentBack { restoredFrom = markSeq }
        }
        incarnation = current
        try recordHighWaterMark()
    }

    /// Writes the change counter and incarnation just committed to the high-water mark file, when the
    /// counter moved since this connection last wrote it (a token check or an enrolment does not).
    func recordHighWaterMark() throws {
        guard !incarnation.isEmpty else { return }
        // Read with the counter: a new incarnation taken since the store was opened (HubEngine+Pull.swift) is the one kept.
        guard let (seq, current) = try db.query("SELECT hub_seq, incarnation FROM hub", row: { ($0.int(0), $0.text(1) ?? "") }).first
        else { return }
        guard seq != markedSeq || current != incarnation else { return }
        incarnation = current
        // Rewritten in place, private like the store: a torn write after a crash reads as no mark,
        // which only means one restore might go unnoticed, never a false alarm.
        do {
            try PrivateFile.overwrite(highWaterMarkPath, with: Array("\(seq) \(incarnation)\n".utf8))
        } catch {
            throw HubError.unavailable("cannot write \(highWaterMarkPath) (\(error)): check the store folder's permissions and free space")
        }
        markedSeq = seq
    }
}
