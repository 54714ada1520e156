/// A replica's clock identity: its id, the seq of its latest write, and its hybrid logical clock.
public struct ReplicaState: Sendable, Equatable {
    /// This replica's id.
    public let id: ReplicaID
    /// The seq of this replica's latest write (0 before the first).
    public private(set) var seq: UInt64
    /// The clock that stamps this replica's writes.
    public private(set) var clock: HybridClock

    /// Resumes a replica from its persisted counters.
    public init(id: ReplicaID, seq: UInt64 = 0, clockMillis: UInt64 = 0, clockCounter: UInt32 = 0) {
        self.id = id
        self.seq = seq
        self.clock = HybridClock(replica: id, millis: clockMillis, counter: clockCounter)
    }

    /// Applies a local write of `changes` to `state` (nil: a new record with id `recordID`).
    ///
    /// Every field in `changes` gets one fresh stamp, so callers pass only the fields that changed;
    /// the others keep their registers. The write bumps `seq` and sets `version[self] = seq`.
    public mutating func write(_ changes: [String: FieldValue], to state: RecordState?, recordID: String,
                               kind: String = RecordState.visitKind, now: UInt64) -> RecordState {
        var next = state ?? RecordState(id: recordID, kind: kind, registers: [:], version: VersionVector())
        let stamp = clock.tick(now: now)
        seq += 1
        for (name, value) in changes { next[name] = Register(value: value, stamp: stamp, seq: seq) }
        next.version[id] = seq
        return next
    }

    /// Receive rule for a whole state: advances the clock past every stamp in it.
    public mutating func observe(_ state: RecordState, now: UInt64) {
        // Losing this error is safe: a stamp beyond the drift bound is refused where it enters (hub, receive); here the clock just does not follow it.
        if let latest = state.latestStamp { try? clock.receive(latest, now: now) }
    }
}
