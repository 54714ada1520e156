import Crypto
import Foundation
import Synchronization

/// Who may use the app: the person who can read the launch file (0600, in the user's private runtime folder)
/// exchanges its one-time key for a session cookie; every form carries the session's own token.
/// Nothing secret is ever on a command line, where other local users could read it.
final class AppGate: Sendable {
    private struct State {
        var launchKey: String
        var sessions: [String: String] = [:]
        var lastSeen = ContinuousClock.now
    }

    private let state: Mutex<State>

    init() {
        state = Mutex(State(launchKey: Self.random()))
    }

    /// The key the launch file carries now.
    var launchKey: String { state.withLock { $0.launchKey } }

    /// A new session for the launch key, which is then replaced (a copied address opens nothing a second time);
    /// nil for a wrong or used key. Returns the session's cookie value.
    func open(with key: String) -> String? {
        state.withLock { state in
            guard Self.same(key, state.launchKey) else { return nil }
            state.launchKey = Self.random()
            let session = Self.random()
            // A handful of tabs or browsers at most: past eight, one of them gives way.
            if state.sessions.count >= 8, let oldest = state.sessions.keys.first { state.sessions[oldest] = nil }
            state.sessions[session] = Self.random()
            state.lastSeen = .now
            return session
        }
    }

    /// The form token of a session, or nil when the cookie names none.
    func formToken(session: String?) -> String? {
        guard let session else { return nil }
        return state.withLock { state in
            guard let token = state.sessions[session] else { return nil }
            state.lastSeen = .now
            return token
        }
    }

    /// Ends every session (Thoát, the idle time).
    func closeAll() { state.withLock { $0.sessions.removeAll() } }

    /// How long since a signed-in page was last asked for.
    var idle: Duration { state.withLock { ContinuousClock.now - $0.lastSeen } }

    /// 32 random bytes as hex.
    static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// Compares two secrets in time that does not depend on where they differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let a = Array(a.utf8), b = Array(b.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
