import FieldSyncClient
import FieldSyncTesting
import Foundation
import Synchronization

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
    /// Deleted visits compacted at random moments, with a grace period of a second or two, so the hub
    /// forgets tombstones that laptops have not pulled yet (Protocol/README.md §7.2).
    case compact
}

/// Wraps the real transport: injects drops, duplicates and reordering, and records latencies.
final class FaultyTransport: HTTPSending, Sendable {
    /// What the concurrent syncs share, behind one mutex.
    private struct State: Sendable {
        var random: SeededRandom
        var lastPush: (URL, String?, Data, String?, String?)?
        var pushLatencies: [Double] = []
        var pullLatencies: [Double] = []
        var injected: [String: Int] = [:]
        var active = true
    }

    private let inner = HTTPTransport(timeout: 30)
    private let faults: Set<Fault>
    private let state: Mutex<State>

    /// The hubs' ports on 127.0.0.1: with more than one, each request goes to one at random.
    private let ports: [Int]

    init(seed: UInt64, faults: Set<Fault>, ports: [Int] = []) {
        state = Mutex(State(random: SeededRandom(seed: seed)))
        self.faults = faults
        self.ports = ports
    }

    /// The URL with the port of a hub picked at random (a load balancer's choice).
    private func routed(_ url: URL) -> URL {
        guard ports.count > 1, var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return url }
        components.port = state.withLock { ports[Int($0.random.next() % UInt64(ports.count))] }
        return components.url ?? url
    }

    /// Faults are injected only while this is true (off for the final convergence).
    var active: Bool {
        get { state.withLock { $0.active } }
        set { state.withLock { $0.active = newValue } }
    }
    var pushLatencies: [Double] { state.withLock { $0.pushLatencies } }
    var pullLatencies: [Double] { state.withLock { $0.pullLatencies } }
    var injected: [String: Int] { state.withLock { $0.injected } }

    private func roll(_ fault: Fault, _ probability: Double) -> Bool {
        state.withLock { state in
            guard state.active, faults.contains(fault) else { return false }
            let hit = Double(state.random.next() % 10_000) / 10_000 < probability
            if hit { state.injected[fault.rawValue, default: 0] += 1 }
            return hit
        }
    }

    var compressesBodies: Bool { inner.compressesBodies }

    func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?) async throws -> HTTPAnswer {
        let url = routed(url)
        let isPush = url.path.hasSuffix("/v1/push")
        if roll(.drop, 0.03) { throw SyncError.unreachable(url.host ?? "", "connection dropped before the request (injected)") }
        if isPush, roll(.reorder, 0.05), let (oldURL, oldToken, oldBody, oldType, oldEncoding) = state.withLock({ $0.lastPush }) {
            // Losing this error is safe: the late copy is a fault injected on purpose; its answer does not matter.
            _ = try? await inner.send("POST", oldURL, token: oldToken, body: oldBody, type: oldType, encoding: oldEncoding)  // a late copy of an older push
        }
        // Losing this error is safe: the duplicate is injected on purpose; the real request follows.
        if roll(.duplicate, 0.05) { _ = try? await inner.send(method, url, token: token, body: body, type: type, encoding: encoding) }
        let start = DispatchTime.now().uptimeNanoseconds
        let answer = try await inner.send(method, url, token: token, body: body, type: type, encoding: encoding)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        state.withLock { state in
            if isPush, let body { state.lastPush = (url, token, body, type, encoding) }
            if answer.status == 200 {
                if isPush { state.pushLatencies.append(seconds) } else if url.path.hasSuffix("/v1/pull") { state.pullLatencies.append(seconds) }
            }
        }
        if roll(.drop, 0.03) { throw SyncError.unreachable(url.host ?? "", "connection dropped after the hub answered (injected)") }
        return answer
    }
}
