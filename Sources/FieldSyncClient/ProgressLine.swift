import Foundation
import Localization

/// Draws a sync's progress for a person: visits and bytes each way, the rate and the time left.
public struct ProgressLine: Sendable {
    let start = ContinuousClock.now

    /// A line that starts counting now.
    public init() {}

    /// Seconds since the sync began.
    public var elapsed: Double {
        let duration = ContinuousClock.now - start
        return Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// The line for a progress report.
    public func text(_ progress: SyncProgress, _ t: Catalogue = .process) -> String {
        let seconds = max(elapsed, 0.001)
        var parts = [t.format("progress.up", t.number(progress.pushed), Self.bytes(progress.bytesSent))]
        if progress.toPush > 0 { parts[0] += t.format("progress.to_go", t.number(progress.toPush)) }
        parts.append("↓ \(t.number(progress.pulled)) (\(Self.bytes(progress.bytesReceived)))")
        parts.append("\(Self.bytes(Int(Double(progress.bytesSent + progress.bytesReceived) / seconds)))/s")
        if progress.toPush > 0, progress.pushed > 0 {
            parts.append(t.format("progress.left", "\(Int((seconds / Double(progress.pushed) * Double(progress.toPush)).rounded(.up)))"))
        }
        if progress.phase == .pseudonyms { parts.insert(t["progress.pseudonyms"], at: 0) }
        return parts.joined(separator: " · ")
    }

    /// A progress report as one JSON line.
    public func json(_ progress: SyncProgress) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Losing this error is safe: encoding this plain struct cannot fail; a progress line is not data.
        let body = (try? encoder.encode(progress)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return #"{"event":"progress","seconds":"# + String(format: "%.2f", elapsed) + "," + body.dropFirst()
    }

    /// Bytes for people: `812 B`, `41 KiB`, `2.3 MiB`.
    public static func bytes(_ count: Int) -> String {
        switch count {
        case ..<1_024: "\(count) B"
        case ..<(1_024 * 1_024): "\(count / 1_024) KiB"
        default: String(format: "%.1f MiB", Double(count) / 1_048_576)
        }
    }
}
