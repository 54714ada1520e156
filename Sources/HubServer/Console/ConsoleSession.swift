import Crypto
import Foundation

/// What a signed-in coordinator's session cookie stands for (kept by the hub, never in the cookie):
/// the console login and the token every form must carry back (CSRF).
public struct ConsoleSession: Codable, Sendable, Equatable {
    /// The console login (lower case).
    public var login: String
    /// The form token of this session.
    public var csrf: String
    /// A new session for a login, with a fresh form token.
    init(login: String) {
        self.login = login
        csrf = Self.randomToken()
    }

    /// 32 random bytes as 64 hex digits.
    static func randomToken() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
    }

    /// Whether a form's token is this session's (compared in constant time).
    func accepts(csrf given: String?) -> Bool {
        guard let given, given.utf8.count == csrf.utf8.count else { return false }
        return zip(given.utf8, csrf.utf8).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
