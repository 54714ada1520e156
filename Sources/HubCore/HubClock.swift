import Foundation
import Synchronization

/// The one clock every time-dependent path of the hub reads (sessions, allowances, horizons, staleness, audit
/// times, enrolment codes): the system's in a running hub, a manual one in tests, which advance it instead of sleeping.
public protocol HubClock: Sendable {
    /// The time now.
    func now() -> Date
}

/// The system's clock.
public struct SystemClock: HubClock {
    public init() {}
    public func now() -> Date { Date() }
}

/// A clock that moves only when told (tests).
public final class ManualClock: HubClock {
    fileprivate let time: Mutex<Date>

    /// A clock at `start`.
    public init(_ start: Date = Date()) { time = Mutex(start) }

    public func now() -> Date { time.withLock { $0 } }

    /// Moves the clock forward.
    public func advance(by seconds: TimeInterval) { time.withLock { $0 = $0.addingTimeInterval(seconds) } }
}

extension ManualClock {
    /// Sets the clock to `date` (a test that replays a history at its own times).
    public func set(_ date: Date) { time.withLock { $0 = date } }
}
