import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncProtocol

extension DeviceCertificate {
    /// How long a certificate lasts; every sync with the hub renews it.
    public static let validity: TimeInterval = 30 * 86_400

    /// Signs `claims` with the hub's signing key.
    public init(_ claims: Claims, signedBy hub: Curve25519.Signing.PrivateKey) throws {
        let body = String(decoding: try WireJSON.encoder.encode(claims), as: UTF8.self)
        self.init(body: body, signature: try hub.signature(for: Data(body.utf8)).base64EncodedString())
    }

    /// The claims, once checked: signed by `hub`, of hub `hubReplica`, not expired at `now`, not revoked.
    /// - Throws: `PeerError` saying which check failed.
    public func verified(by hub: Curve25519.Signing.PublicKey, hubReplica: String, revoked: Set<String>, now: Date) throws(PeerError) -> Claims {
        guard let signature = Data(base64Encoded: signature), hub.isValidSignature(signature, for: Data(body.utf8)) else {
            throw .untrusted("its certificate is not signed by this laptop's hub")
        }
        let claims: Claims
        do {
            claims = try WireJSON.decode(Claims.self, from: Data(body.utf8))
        } catch {
            throw .untrusted("its certificate cannot be read (\(error))")
        }
        guard claims.hub == hubReplica else { throw .untrusted("its certificate is from another hub") }
        guard let expires = ISODate.parse(claims.expires), expires > now else {
            throw .untrusted("its certificate expired on \(claims.expires): that laptop syncs with the hub once to renew it")
        }
        guard !revoked.contains(claims.device) else { throw .untrusted("device \(claims.device) was revoked by the hub") }
        guard BundleKeys.publicKeys(claims.keys) != nil else { throw .untrusted("its certificate holds no keys") }
        return claims
    }
}

/// Why a LAN sync between two laptops was refused.
public enum PeerError: Error, Equatable, CustomStringConvertible {
    /// The other laptop could not be trusted (its certificate, its signature).
    case untrusted(String)
    /// The two laptops share no scope.
    case otherCommune(String)
    /// This laptop cannot sync on a LAN yet.
    case notReady(String)

    public var description: String {
        switch self {
        case .untrusted(let why): "the other laptop is not trusted: \(why); nothing was exchanged"
        case .otherCommune(let commune): "the other laptop works in commune \(commune), not this one's: laptops sync only within their commune"
        case .notReady(let why): why
        }
    }
}

/// ISO timestamps without FieldModel (this module stays below it).
enum ISODate {
    // Losing the error is safe: the caller refuses a certificate whose date does not parse.
    static func parse(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }

    static func format(_ date: Date) -> String { date.formatted(.iso8601) }
}
