#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A laptop's certificate: the hub's signed word that a device of a commune holds these bundle keys,
/// until a date (Protocol/README.md §9.1). Laptops show it to each other to sync on a LAN; the hub
/// issues it at enrolment and renews it at every sync (`OfflineBundle` signs and checks it).
public struct DeviceCertificate: Codable, Sendable, Equatable {
    /// What the hub vouches for.
    public struct Claims: Codable, Sendable, Equatable {
        public var device: String
        public var commune: String
        public var team: String?
        /// The device's bundle keys, public halves (`<Ed25519 hex>.<X25519 hex>`).
        public var keys: String
        /// The hub's replica id: certificates of another hub are not taken.
        public var hub: String
        public var issued: String
        public var expires: String

        /// Makes claims.
        public init(device: String, commune: String, team: String?, keys: String, hub: String, issued: String, expires: String) {
            self.device = device
            self.commune = commune
            self.team = team
            self.keys = keys
            self.hub = hub
            self.issued = issued
            self.expires = expires
        }
    }

    /// The claims as JSON, exactly as signed.
    public let body: String
    /// The hub's Ed25519 signature over `body`, base64.
    public let signature: String

    /// A certificate from its parts.
    public init(body: String, signature: String) {
        self.body = body
        self.signature = signature
    }
}

extension DeviceCertificate {
    /// Writes `{"body": …, "signature": …}` with the wire's fast writer.
    public func write(to out: inout JSONWriter) {
        out.raw("{\"body\":")
        out.string(body)
        out.raw(",\"signature\":")
        out.string(signature)
        out.raw("}")
    }

    /// Reads a certificate parsed by the wire's fast parser.
    public init(json: JSONValue, path: String) throws(WireDecodingError) {
        guard case .string(let body)? = json["body"], case .string(let signature)? = json["signature"] else {
            throw .invalid("\(path) should hold a body and a signature (strings)")
        }
        self.init(body: body, signature: signature)
    }
}
