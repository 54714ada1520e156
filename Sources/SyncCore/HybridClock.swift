/// A hybrid logical clock: issues stamps that never go backwards and always follow every stamp seen.
public struct HybridClock: Sendable, Equatable {
    /// The replica whose stamps this clock issues.
    public let replica: ReplicaID
    /// The physical part of the latest stamp issued or seen.
    public private(set) var millis: UInt64
    /// The logical part of the latest stamp issued or seen.
    public private(set) var counter: UInt32

    /// A clock resumed from its last persisted state (zero for a new replica).
    public init(replica: ReplicaID, millis: UInt64 = 0, counter: UInt32 = 0) {
        self.replica = replica
        self.millis = millis
        self.counter = counter
    }

    /// The latest stamp this clock issued or saw (as if issued by this replica).
    public var current: Stamp { Stamp(millis: millis, counter: counter, replica: replica) }

    /// Send rule: a stamp for a local write at wall-clock time `now` (ms), greater than all before it.
    public mutating func tick(now: UInt64) -> Stamp {
        let physical = min(now, Stamp.maxMillis)
        if physical > millis {
            millis = physical
            counter = 0
        } else {
            advanceCounter()
        }
        return current
    }

    /// Receive rule: advances past `stamp`, so the next local write out-stamps it.
    /// - Throws: `ClockError.tooFarAhead` (changing nothing) when `maxDrift` is given and
    ///   the stamp is more than `maxDrift` ms ahead of `now`.
    public mutating func receive(_ stamp: Stamp, now: UInt64, maxDrift: UInt64? = nil) throws(ClockError) {
        if let maxDrift { try Self.check(stamp, now: now, maxDrift: maxDrift) }
        let physical = min(now, Stamp.maxMillis)
        let top = max(millis, stamp.millis, physical)
        if top == millis && top == stamp.millis {
            counter = max(counter, stamp.counter)
            advanceCounter()
        } else if top == millis {
            advanceCounter()
        } else if top == stamp.millis {
            millis = top
            counter = stamp.counter
            advanceCounter()
        } else {
            millis = top
            counter = 0
        }
    }

    /// Checks a stamp against the drift limit without changing any clock.
    public static func check(_ stamp: Stamp, now: UInt64, maxDrift: UInt64) throws(ClockError) {
        if stamp.millis > now, stamp.millis - now > maxDrift {
            throw ClockError.tooFarAhead(stamp: stamp, aheadMillis: stamp.millis - now, limitMillis: maxDrift)
        }
    }

    private mutating func advanceCounter() {
        if counter == .max {
            millis += 1
            counter = 0
        } else {
            counter += 1
        }
    }
}

/// Why a clock refused a stamp.
public enum ClockError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stamp is further ahead of this clock than the allowed drift: the writer's clock is wrong.
    case tooFarAhead(stamp: Stamp, aheadMillis: UInt64, limitMillis: UInt64)

    public var description: String {
        switch self {
        case .tooFarAhead(let stamp, let ahead, let limit):
            "a change is stamped \(Self.duration(ahead)) ahead of the hub's clock (limit \(Self.duration(limit))), "
                + "by replica \(stamp.replica): set that laptop's date and time correctly, then sync again"
        }
    }

    private static func duration(_ millis: UInt64) -> String {
        let hours = millis / 3_600_000
        return hours >= 48 ? "\(hours / 24) days" : hours >= 1 ? "\(hours) h" : "\(millis / 1000) s"
    }
}
