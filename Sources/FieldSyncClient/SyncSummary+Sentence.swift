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
}
