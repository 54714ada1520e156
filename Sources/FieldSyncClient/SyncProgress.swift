/// Where a sync stands, reported after every request (`fieldsync sync` draws it as a line, or JSON lines).
public struct SyncProgress: Codable, Sendable, Equatable {
    /// What the sync is doing.
    public enum Phase: String, Codable, Sendable {
        case pseudonyms, push, pull
    }

    public var phase: Phase
    /// Visits sent so far, and still to send.
    public var pushed: Int
    public var toPush: Int
    /// Visits received that changed this laptop.
    public var pulled: Int
    /// Bytes of bodies sent and received, as on the wire.
    public var bytesSent: Int
    public var bytesReceived: Int

    /// The progress a summary shows, in a phase.
    public init(_ phase: Phase, _ summary: SyncSummary, toPush: Int = 0) {
        self.phase = phase
        pushed = summary.pushed
        self.toPush = toPush
        pulled = summary.pulled
        bytesSent = summary.bytesSent
        bytesReceived = summary.bytesReceived
    }
}
