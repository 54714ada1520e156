import Foundation
import Localization

extension SyncSummary {
    /// The sync in one line a volunteer understands: "Đã gửi 6 lượt, nhận 9 lượt; 1 lượt của bạn bị ghi đè (0,4 giây; ↑ 2 KiB, ↓ 9 KiB)".
    /// The counts behind it (already known, combined, …) are in `--json`.
    public func sentence(_ t: Catalogue, seconds: Double) -> String {
        var text = t.format("sync.sent_received", t.number(pushed), t.number(pulled))
        if !myConflicts.isEmpty { text += t.format("sync.overridden", t.number(myConflicts.count)) }
        if !rejected.isEmpty { text += t.format("sync.refused_count", t.number(rejected.count)) }
        return text + t.format("sync.time_bytes", t.decimal(seconds), ProgressLine.bytes(bytesSent), ProgressLine.bytes(bytesReceived))
            + (myConflicts.isEmpty ? "" : ":")
    }

    /// What else a volunteer should know after the sentence, one line each: visits compacted, citizen IDs still waiting
    /// for their pseudonyms, visits flagged (told by `flaggedKey`: the command line names its command, the app its page),
    /// visits returned for correction, each visit the hub refused. The caller makes them safe for where they show.
    public func afterwards(_ t: Catalogue, flaggedKey: String = "sync.flagged") -> [String] {
        var lines: [String] = []
        if compacted > 0 { lines.append(t.format("sync.compacted", t.number(compacted))) }
        if pseudonymsWaiting > 0 { lines.append(t.format("sync.pseudonyms_waiting", t.number(pseudonymsWaiting))) }
        if flagged > 0 { lines.append(t.format(flaggedKey, t.number(flagged))) }
        if needsCorrection > 0 { lines.append(t.format("sync.needs_correction", t.number(needsCorrection))) }
        return lines + rejected.map { t.format("sync.rejected_visit", String($0.id.suffix(8)), $0.message) }
    }
}
