import Crypto
import SyncCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncProtocol
import WireCompression

/// An offline bundle (Protocol/README.md §9): a push carried on a USB stick to the hub, or the hub's
/// answer carried back. The body is signed by its sender (Ed25519) and, signature included, sealed to
/// its recipient (HPKE, X25519 with HKDF-SHA256 and ChaCha20-Poly1305): a lost stick reveals nothing,
/// and an altered or forged file is refused.
///
/// File: `{"format": "fieldsync-bundle/3", "kind": …, "enc": base64, "sealed": base64}`; sealed: the 64-byte
/// signature, the signer's name (4-byte big-endian length, then UTF-8: a device id, or a LAN request's
/// certificate), then the body's JSON gzip-compressed. The signature covers the name and the compressed bytes, and
/// is checked before anything is inflated: a forged bundle costs its reader no more than its own size.
/// Format 2 (no signer outside the body) is still read, its body inflated first only up to `legacyLimit`.
public enum OfflineBundle {
    /// The format tag of the file.
    public static let format = "fieldsync-bundle/3"
    /// The format before the signer was named outside the compressed body.
    public static let legacyFormat = "fieldsync-bundle/2"
    /// The largest bundle file read.
    public static let maxBytes = 256 << 20
    /// The most a format-2 body may inflate to, read before its signature can be checked: what a laptop holds.
    public static let legacyLimit = 32 << 20
    /// The longest signer name (a certificate's JSON).
    public static let maxSigner = 16 << 10
    static let suite = HPKE.Ciphersuite.Curve25519_SHA256_ChachaPoly

    /// Which way a bundle goes.
    public enum Kind: String, Codable, Sendable {
        /// A laptop's bundle to the hub, and the hub's answer; a laptop's request to another on a LAN, and its answer.
        case push, answer, peerRequest = "peer-request", peerAnswer = "peer-answer"
        func info(_ format: String) -> Data { Data("\(format) \(rawValue)".utf8) }
        /// The most a body of this kind inflates to, once its signature checked: a laptop's push or LAN request holds
        /// what one laptop wrote or holds; an answer may carry a commune's pages.
        public var inflateLimit: Int {
            switch self {
            case .push, .peerRequest: 64 << 20
            case .answer, .peerAnswer: OfflineBundle.maxBytes
            }
        }
        var name: String {
            switch self {
            case .push: "a laptop's bundle"
            case .answer: "the hub's answer"
            case .peerRequest: "a laptop's LAN request"
            case .peerAnswer: "a laptop's LAN answer"
            }
        }
    }

    /// The file's outside: nothing in it but the format, the kind and the sealed bytes.
    struct Envelope: Codable {
        var format: String
        var kind: Kind
        var enc: String
        var sealed: String
    }

    /// Compresses `body`, signs it and the name of its `signer` (a device id, or a certificate) with `key`, and
    /// seals them to `recipient`.
    public static func seal(_ body: Data, kind: Kind, to recipient: Curve25519.KeyAgreement.PublicKey,
                            signedBy key: Curve25519.Signing.PrivateKey, signer: String) throws -> Data {
        let name = Data(signer.utf8)
        guard name.count <= maxSigner else { throw BundleError.notABundle("its signer's name is longer than \(maxSigner) bytes") }
        let signed = Self.length(name.count) + name + Data(try WireCompression.gzip.compress(body))
        let signature = try key.signature(for: signed)
        var sender = try HPKE.Sender(recipientKey: recipient, ciphersuite: suite, info: kind.info(format))
        let sealed = try sender.seal(signature + signed)
        let envelope = Envelope(format: format, kind: kind, enc: sender.encapsulatedKey.base64EncodedString(),
                                sealed: sealed.base64EncodedString())
        return try WireJSON.encoder.encode(envelope)
    }

    static func length(_ n: Int) -> Data { Data([UInt8(n >> 24 & 0xff), UInt8(n >> 16 & 0xff), UInt8(n >> 8 & 0xff), UInt8(n & 0xff)]) }

    /// A bundle opened, its signature not yet checked.
    public struct Opened: Sendable {
        let kind: Kind
        /// What the signature covers: the signer's name and the packed body (format 3), or the packed body (format 2).
        let signed: Data
        let packed: Data
        let signature: Data
        /// Who the bundle says signed it (format 3), before anything is inflated; nil for a format-2 bundle.
        public let signer: String?

        /// The body, once `key` is found to have signed it (checked before it is inflated, up to its kind's limit).
        /// - Throws: `BundleError.forged` naming `signer` when it did not; `.notABundle` when the body does not inflate.
        public func body(signedBy key: Curve25519.Signing.PublicKey, signer: String) throws(BundleError) -> Data {
            try verify(signedBy: key, signer: signer)
            return try Self.inflate(packed, limit: kind.inflateLimit)
        }

        /// Checks the signature alone (for a format-2 body already read with `unverifiedBody()`, to learn its signer).
        /// - Throws: `BundleError.forged` naming `signer`.
        public func verify(signedBy key: Curve25519.Signing.PublicKey, signer: String) throws(BundleError) {
            guard key.isValidSignature(signature, for: signed) else { throw .forged(device: signer) }
        }

        /// A format-2 body, not yet authenticated: only to learn who claims to have signed it, and only up to
        /// `legacyLimit` (a format-3 bundle names its signer outside the body: this is never needed for it).
        public func unverifiedBody() throws(BundleError) -> Data {
            try Self.inflate(packed, limit: OfflineBundle.legacyLimit)
        }

        static func inflate(_ packed: Data, limit: Int) throws(BundleError) -> Data {
            do {
                return Data(try WireCompression.gzip.decompress(packed, limit: limit))
            } catch .tooLarge {
                throw .notABundle("its body inflates beyond \(limit >> 20) MiB")
            } catch {
                throw .notABundle("its body does not inflate (\(error))")
            }
        }
    }

    /// Opens a bundle of `kind` sealed to `key`; its signature is checked by `Opened.body(signedBy:signer:)`.
    /// - Throws: `BundleError` for a file that is not a bundle, of another kind, cut short or altered, or sealed to another key.
    public static func open(_ file: Data, kind: Kind, with key: Curve25519.KeyAgreement.PrivateKey) throws(BundleError) -> Opened {
        guard file.count <= maxBytes else { throw .notABundle("larger than \(maxBytes >> 20) MiB") }
        let envelope: Envelope
        do {
            envelope = try WireJSON.decode(Envelope.self, from: file)
        } catch {
            throw .notABundle("\(error)")
        }
        guard envelope.format == format || envelope.format == legacyFormat else {
            throw .notABundle("format \(envelope.format.prefix(40)), not \(format)")
        }
        guard envelope.kind == kind else { throw .wrongKind(expected: kind, found: envelope.kind) }
        guard let enc = Data(base64Encoded: envelope.enc), let sealed = Data(base64Encoded: envelope.sealed) else {
            throw .notABundle("its sealed part is not base64")
        }
        let opened: Data
        do {
            var recipient = try HPKE.Recipient(privateKey: key, ciphersuite: suite, info: kind.info(envelope.format), encapsulatedKey: enc)
            opened = try recipient.open(sealed)
        } catch {
            throw .altered
        }
        guard opened.count > 64 else { throw .altered }
        let signature = Data(opened.prefix(64)), signed = Data(opened.dropFirst(64))
        guard envelope.format == format else { return Opened(kind: kind, signed: signed, packed: signed, signature: signature, signer: nil) }
        guard signed.count >= 4 else { throw .altered }
        let bytes = Array(signed.prefix(4))
        let length = Int(bytes[0]) << 24 | Int(bytes[1]) << 16 | Int(bytes[2]) << 8 | Int(bytes[3])
        guard length <= maxSigner, signed.count >= 4 + length else { throw .notABundle("its signer's name is cut or too long") }
        let name = signed.dropFirst(4).prefix(length)
        guard let signer = String(bytes: name, encoding: .utf8) else { throw .notABundle("its signer's name is not text") }
        return Opened(kind: kind, signed: signed, packed: Data(signed.dropFirst(4 + length)), signature: signature, signer: signer)
    }
}

/// A laptop's or the hub's bundle keys: an Ed25519 key to sign, an X25519 key to be sealed to.
public struct BundleKeys: Sendable {
    /// Signs what this side sends.
    public let signing: Curve25519.Signing.PrivateKey
    /// Opens what is sealed to this side.
    public let agreement: Curve25519.KeyAgreement.PrivateKey

    /// New random keys.
    public init() {
        signing = Curve25519.Signing.PrivateKey()
        agreement = Curve25519.KeyAgreement.PrivateKey()
    }

    /// Keys from their text form (`<signing hex>.<agreement hex>`, raw private keys); nil if it is not one.
    public init?(privateText text: String) {
        // Losing the errors is safe: a key swift-crypto refuses makes the text "not keys" (nil), which callers report.
        guard let (a, b) = Self.halves(text), let signing = try? Curve25519.Signing.PrivateKey(rawRepresentation: a),
              let agreement = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: b)
        else { return nil }
        self.signing = signing
        self.agreement = agreement
    }

    /// The private keys as text (kept by their owner only).
    public var privateText: String { Self.hex(signing.rawRepresentation) + "." + Self.hex(agreement.rawRepresentation) }

    /// The public keys as text (`<Ed25519 hex>.<X25519 hex>`), as enrolment exchanges them.
    public var publicText: String { Self.hex(signing.publicKey.rawRepresentation) + "." + Self.hex(agreement.publicKey.rawRepresentation) }

    /// Public keys read from their text form; nil if it is not one.
    public static func publicKeys(_ text: String) -> (signing: Curve25519.Signing.PublicKey, agreement: Curve25519.KeyAgreement.PublicKey)? {
        // Losing the errors is safe: a key swift-crypto refuses makes the text "not keys" (nil), which callers report.
        guard let (a, b) = halves(text), let signing = try? Curve25519.Signing.PublicKey(rawRepresentation: a),
              let agreement = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: b)
        else { return nil }
        return (signing, agreement)
    }

    static func halves(_ text: String) -> (Data, Data)? {
        let parts = text.split(separator: ".")
        guard parts.count == 2, let a = bytes(hex: parts[0]), let b = bytes(hex: parts[1]), a.count == 32, b.count == 32 else { return nil }
        return (a, b)
    }

    static func hex(_ data: some DataProtocol) -> String { Hex.encode(data) }

    static func bytes(hex: Substring) -> Data? { Hex.bytes(hex.lowercased()).map { Data($0) } }
}

/// Why a bundle was refused, in words for whoever carries it.
public enum BundleError: Error, Equatable, CustomStringConvertible {
    case notABundle(String)
    case wrongKind(expected: OfflineBundle.Kind, found: OfflineBundle.Kind)
    case altered
    case forged(device: String)
    case unknownDevice(String)
    case revoked(device: String, at: String)
    case noKeys(device: String)
    case expired(at: String)
    case replayed(bundle: String, at: String)
    case notForThisLaptop
    case unknownAnswer(String)

    public var description: String {
        switch self {
        case .notABundle(let why): "this is not a FieldSync bundle (\(why))"
        case .wrongKind(let expected, let found):
            "this is \(found.name), not \(expected.name)"
        case .altered: "the bundle was altered, cut short, or sealed for another hub or laptop: nothing was read from it"
        case .forged(let device): "the bundle's signature is not device \(device)'s: it was forged or altered; nothing was written"
        case .unknownDevice(let device): "device \(device.prefix(40)) is not enrolled at this hub; nothing was written"
        case .revoked(let device, let at): "device \(device) was revoked on \(at); its bundles are refused; nothing was written"
        case .noKeys(let device): "device \(device) was enrolled before bundles existed: enrol it again to use bundles"
        case .expired(let at): "the bundle expired on \(at): export a new one on the laptop; nothing was written"
        case .replayed(let bundle, let at): "bundle \(bundle) was already imported on \(at): nothing was written again"
        case .notForThisLaptop: "this answer is for another laptop; nothing was applied"
        case .unknownAnswer(let bundle): "this answer is to bundle \(bundle.prefix(40)), which this laptop did not export; nothing was applied"
        }
    }
}
