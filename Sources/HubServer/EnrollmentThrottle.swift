import Foundation
import NIOConcurrencyHelpers

/// Failed enrolment-code attempts per address: after `limit` failures within `window` seconds the
/// address gets 429 until the oldest failure leaves the window. Guessing codes is slow and shows in logs.
final class EnrollmentThrottle: Sendable {
    private let failures = NIOLockedValueBox<[String: [Date]]>([:])
    let limit: Int
    let window: TimeInterval

    init(limit: Int, window: TimeInterval) {
        self.limit = limit
        self.window = window
    }

    /// Seconds the address must wait, or nil when it may try.
    func wait(for address: String, now: Date = Date()) -> Int? {
        failures.withLockedValue { all in
            let recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            all[address] = recent.isEmpty ? nil : recent
            guard recent.count >= limit, let oldest = recent.first else { return nil }
            return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
        }
    }

    /// Counts an attempt *before* its expensive check (a code looked up, a passphrase hashed), so parallel tries
    /// cannot all pass the check at once: nil when the address may go on, else the seconds it must wait.
    /// A try that succeeds gives its count back (`release`).
    func reserve(_ address: String, now: Date = Date()) -> Int? {
        failures.withLockedValue { all in
            var recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            if recent.count >= limit, let oldest = recent.first {
                all[address] = recent
                return max(1, Int((window - now.timeIntervalSince(oldest)).rounded(.up)))
            }
            recent.append(now)
            all[address] = recent
            if all.count > 100_000, let stale = all.min(by: { ($0.value.last ?? now) < ($1.value.last ?? now) })?.key {
                all[stale] = nil
            }
            return nil
        }
    }

    /// Gives back the count of a reserved try that succeeded.
    func release(_ address: String) {
        failures.withLockedValue { all in
            guard var recent = all[address], !recent.isEmpty else { return }
            recent.removeLast()
            all[address] = recent.isEmpty ? nil : recent
        }
    }

    /// Records a failed attempt; returns how many the address made within the window.
    @discardableResult
    func fail(_ address: String, now: Date = Date()) -> Int {
        failures.withLockedValue { all in
            var recent = (all[address] ?? []).filter { now.timeIntervalSince($0) < window }
            recent.append(now)
            // A bounded memory per address, and a bounded table: the oldest addresses go first.
            all[address] = Array(recent.suffix(limit))
            if all.count > 100_000, let stale = all.min(by: { ($0.value.last ?? now) < ($1.value.last ?? now) })?.key {
                all[stale] = nil
            }
            return recent.count
        }
    }
}
