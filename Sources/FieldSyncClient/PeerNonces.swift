import Crypto
import Foundation
import Synchronization

/// The nonces a serving laptop gives out in its hellos (Protocol/README.md §9.1), costing it no memory per hello:
/// each is a random part, an expiry and a MAC of both under a key of this run, so a LAN host that asks hello after
/// hello fills nothing and locks nobody out. A nonce is used up by the one signed request that names it: only such
/// requests (from a certified laptop of the commune) are remembered, until the nonce would have expired anyway.
public final class PeerNonces: Sendable {
    private let key = SymmetricKey(size: .bits256)
    /// How long a hello's nonce may be answered.
    public let lifetime: TimeInterval
    private let used = Mutex<[String: Date]>([:])

    /// Nonces valid for `lifetime` seconds.
    public init(lifetime: TimeInterval = 120) { self.lifetime = lifetime }

    /// A fresh nonce: `<32 hex>.<expiry, Unix seconds>.<MAC, 64 hex>`.
    public func issue(now: Date = Date()) -> String {
        let random = (0..<2).map { _ in String(format: "%016llx", UInt64.random(in: 0...UInt64.max)) }.joined()
        let body = "\(random).\(Int64(now.addingTimeInterval(lifetime).timeIntervalSince1970))"
        return body + "." + mac(body)
    }

    /// Whether `nonce` is one of this run's, not expired and not used before; it is used up.
    public func take(_ nonce: String, now: Date = Date()) -> Bool {
        let parts = nonce.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].utf8.count == 32, let expiry = Int64(parts[1]),
              Double(expiry) > now.timeIntervalSince1970, Double(expiry) <= now.timeIntervalSince1970 + lifetime + 1 else { return false }
        guard Self.equal(mac("\(parts[0]).\(parts[1])"), String(parts[2])) else { return false }
        return used.withLock { used in
            used = used.filter { $0.value > now }
            guard used[nonce] == nil else { return false }
            used[nonce] = Date(timeIntervalSince1970: Double(expiry))
            return true
        }
    }

    private func mac(_ text: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: key).map { String(format: "%02x", $0) }.joined()
    }

    /// Compares two texts in time that does not depend on where they differ.
    private static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
