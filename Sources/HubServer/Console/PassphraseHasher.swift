import Crypto
import Foundation
import HubCore
import HubSQLite
import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// Console passphrases: bcrypt of the passphrase's SHA-256 (base64), so every byte counts (bcrypt alone reads 72,
/// 36 Vietnamese letters with marks), on a thread pool of its own with a bounded queue, so a burst of sign-ins
/// neither starves the pseudonym evaluations of real syncs nor queues without end.
enum PassphraseHasher {
    /// What marks a hash of the pre-hashed form; a hash without it (made before) is checked as it was made.
    static let prefix = "sha256$"
    /// bcrypt's cost (2^12 rounds: about a quarter of a second per try on an office PC).
    static let cost: UInt8 = 12
    /// Most checks waiting or running at once, over all addresses; beyond, 429.
    static let maxQueued = 16

    /// bcrypt's own pool: one thread (the others serve syncs).
    static let pool: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 1)
        pool.start()
        return pool
    }()
    private static let queued = NIOLockedValueBox(0)

    /// A hash to store for a new passphrase.
    static func hash(_ passphrase: String) async throws -> String {
        let prehashed = prehash(passphrase)
        return prefix + (try await run { Bcrypt.hash(prehashed, cost: cost) })
    }

    /// Whether a passphrase matches a stored hash (of either form).
    static func verify(_ passphrase: String, hash: String) async throws -> Bool {
        if hash.hasPrefix(prefix) {
            let prehashed = prehash(passphrase), stored = String(hash.dropFirst(prefix.count))
            return try await run { Bcrypt.verify(prehashed, hash: stored) }
        }
        return try await run { Bcrypt.verify(passphrase, hash: hash) }
    }

    /// A hash of no passphrase anyone has: an unknown login costs a sign-in the same time as a wrong passphrase.
    static let decoy = prefix + Bcrypt.hash(prehash(ConsoleSession.randomToken()), cost: cost)

    static func prehash(_ passphrase: String) -> String {
        Data(SHA256.hash(data: Data(passphrase.utf8))).base64EncodedString()
    }

    /// Runs a bcrypt on its pool, or refuses with 429 when `maxQueued` are already waiting.
    static func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        let admitted = queued.withLockedValue { count in
            guard count < maxQueued else { return false }
            count += 1
            return true
        }
        guard admitted else { throw HubError.tooManyRequests("the hub is checking many passphrases right now: try again in a few seconds", retryAfter: 5) }
        defer { queued.withLockedValue { $0 -= 1 } }
        return try await pool.runIfActive(work)
    }
}
