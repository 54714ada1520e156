import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encrypts and decrypts the personal part of a store's rows, bound to the row's id (so a sealed
/// value cannot be moved to another row). Unlocked: AES-256-GCM under the data key. Locked: HPKE
/// (X25519, HKDF-SHA256, AES-256-GCM) to the store's public key, which needs no passphrase.
public enum RowSealer: Sendable {
    /// The store is unlocked: seals and opens.
    case unlocked(StoreSecret)
    /// The store is locked: seals only.
    case locked(publicKey: Data)

    static let symmetric: UInt8 = 1, hpke: UInt8 = 2
    static let info = Data("fieldsync-store-row".utf8)
    static let suite = HPKE.Ciphersuite(kem: .Curve25519_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_256)

    /// Whether this sealer can open what it seals.
    public var isUnlocked: Bool { if case .unlocked = self { true } else { false } }

    /// Seals `plaintext` for the row `id`.
    public func seal(_ plaintext: Data, row id: String) throws -> Data {
        let aad = Data(id.utf8)
        switch self {
        case .unlocked(let secret):
            let box = try AES.GCM.seal(plaintext, using: secret.dataKey, authenticating: aad)
            return Data([Self.symmetric]) + (box.combined ?? Data())
        case .locked(let publicKey):
            var sender = try HPKE.Sender(recipientKey: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey),
                                         ciphersuite: Self.suite, info: Self.info)
            let ciphertext = try sender.seal(plaintext, authenticating: aad)
            return Data([Self.hpke]) + sender.encapsulatedKey + ciphertext
        }
    }

    /// Opens what `seal` made for the row `id`.
    /// - Throws: `StoreCryptoError.locked` without the secret, `.damaged` for anything altered or moved.
    public func open(_ sealed: Data, row id: String) throws(StoreCryptoError) -> Data {
        guard case .unlocked(let secret) = self else { throw .locked }
        let aad = Data(id.utf8)
        guard let kind = sealed.first else { throw .damaged("an empty sealed value") }
        let body = sealed.dropFirst()
        do {
            switch kind {
            case Self.symmetric:
                return try AES.GCM.open(try AES.GCM.SealedBox(combined: body), using: secret.dataKey, authenticating: aad)
            case Self.hpke where body.count > 32:
                var recipient = try HPKE.Recipient(privateKey: secret.agreementKey, ciphersuite: Self.suite, info: Self.info,
                                                   encapsulatedKey: Data(body.prefix(32)))
                return try recipient.open(body.dropFirst(32), authenticating: aad)
            default:
                throw StoreCryptoError.damaged("an unknown sealing")
            }
        } catch {
            throw .damaged("row \(id) does not decrypt: altered, or sealed for another store")
        }
    }
}
