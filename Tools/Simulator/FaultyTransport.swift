import FieldSyncClient
import FieldSyncTesting
import Foundation

/// The faults the simulator can inject, each switchable.
enum Fault: String, CaseIterable, Sendable {
    /// The hub killed with SIGKILL at random moments, then restarted.
    case kill
    /// Connections dropped before the request reaches the hub, or after the hub answered.
    case drop
    /// Requests sent twice.
    case duplicate
    /// An old push re-sent late, out of order.
    case reorder
    /// A laptop restored from an old copy of its store.
    case restore
    /// A laptop whose clock is a year ahead for a while.
    case clock
    /// The hub's disk full for a while.
    case diskfull
}

/// Wraps the real transport: injects drops, duplicates and reordering, and records latencies.
final class FaultyTransport: HTTPSending, @unchecked Sendable {
    private let inner = HTTPTransport(timeout: 30)
    private let lock = NSLock()
    private var random: SeededRandom
    private let faults: Set<Fault>
    private var lastPush: (URL, String?, Data)?
    private(set) var pushLatencies: [Double] = []
    private(set) var pullLatencies: [Double] = []
    private(set) var injected: [String: Int] = [:]
    /// Faults are injected only while this is true (off for the final convergence).
    var active = true

    init(seed: UInt64, faults: Set<Fault>) {
        random = SeededRandom(seed: seed)
        self.faults = faults
    }

    private func roll(_ fault: Fault, _ probability: Double) -> Bool {
        lock.withLock {
            guard active, faults.contains(fault) else { return false }
            let hit = Double(random.next() % 10_000) / 10_000 < probability
            if hit { injected[fault.rawValue, default: 0] += 1 }
            return hit
        }
    }

    func send(_ method: String, _ url: URL, token: String?, body: Data?) async throws -> HTTPAnswer {
        let isPush = url.path.hasSuffix("/v1/push")
        if roll(.drop, 0.03) { throw SyncError.unreachable(url.host ?? "", "connection dropped before the request (injected)") }
        if isPush, roll(.reorder, 0.05), let (oldURL, oldToken, oldBody) = lock.withLock({ lastPush }) {
            _ = try? await inner.send("POST", oldURL, token: oldToken, body: oldBody)  // a late copy of an older push
        }
        if roll(.duplicate, 0.05) { _ = try? await inner.send(method, url, token: token, body: body) }
        let start = DispatchTime.now().uptimeNanoseconds
        let answer = try await inner.send(method, url, token: token, body: body)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        lock.withLock {
            if isPush, let body { lastPush = (url, token, body) }
            if answer.status == 200 { if isPush { pushLatencies.append(seconds) } else if url.path.hasSuffix("/v1/pull") { pullLatencies.append(seconds) } }
        }
        if roll(.drop, 0.03) { throw SyncError.unreachable(url.host ?? "", "connection dropped after the hub answered (injected)") }
        return answer
    }
}
