import Crypto
import TextSafety
import CryptoExtras
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The store's secret wrapped by a key derived from the volunteer's passphrase (scrypt), and to the
/// hub's recovery key (HPKE), so a store whose volunteer left can be opened by the hub's operator.
public enum KeyWraps {
    /// scrypt's cost: N = 2^15, r = 8, p = 1 (32 MiB, a fraction of a second on an old laptop).
    public static let rounds = 1 << 15
    static let format: UInt8 = 1

    /// Wraps `secret` under `passphrase`: format, salt (16), N's log2, nonce and ciphertext.
    public static func wrap(_ secret: StoreSecret, passphrase: String, rounds: Int = KeyWraps.rounds) throws -> Data {
        let salt = SymmetricKey(size: .bits128).withUnsafeBytes { Data($0) }
        let key = try derive(passphrase, salt: salt, rounds: rounds)
        let box = try AES.GCM.seal(secret.rawRepresentation, using: key, authenticating: Data([format]) + salt)
        return Data([format]) + salt + Data([UInt8(rounds.trailingZeroBitCount)]) + (box.combined ?? Data())
    }

    /// Unwraps what `wrap` made.
    /// - Throws: `StoreCryptoError.wrongPassphrase` when the passphrase is not the one it was wrapped under.
    public static func unwrap(_ wrapped: Data, passphrase: String) throws(StoreCryptoError) -> StoreSecret {
        let bytes = Array(wrapped)
        guard bytes.count > 18, bytes[0] == format, (10...22).contains(bytes[17]) else { throw .damaged("the passphrase lock has the wrong shape") }
        let salt = Data(bytes[1..<17])
        let opened: Data
        do {
            let key = try derive(passphrase, salt: salt, rounds: 1 << Int(bytes[17]))
            opened = try AES.GCM.open(try AES.GCM.SealedBox(combined: Data(bytes[18...])), using: key,
                                      authenticating: Data([format]) + salt)
        } catch {
            throw .wrongPassphrase
        }
        return try StoreSecret(rawRepresentation: opened)
    }

    static func derive(_ passphrase: String, salt: Data, rounds: Int) throws -> SymmetricKey {
        try KDF.Scrypt.deriveKey(from: Data(passphrase.composedNFC.utf8), salt: salt,
                                 outputByteCount: 32, rounds: rounds, blockSize: 8, parallelism: 1)
    }

    static let recoveryInfo = Data("fieldsync-store-recovery".utf8)

    /// Wraps `secret` to the hub's recovery public key (X25519, 32 bytes), bound to the store's id.
    public static func wrapForRecovery(_ secret: StoreSecret, hubKey: Data, store: String) throws -> Data {
        var sender = try HPKE.Sender(recipientKey: try Curve25519.KeyAgreement.PublicKey(rawRepresentation: hubKey),
                                     ciphersuite: RowSealer.suite, info: recoveryInfo)
        return sender.encapsulatedKey + (try sender.seal(secret.rawRepresentation, authenticating: Data(store.utf8)))
    }

    /// Opens a recovery wrap with the hub's recovery private key (X25519 raw, 32 bytes).
    public static func unwrapRecovery(_ wrapped: Data, hubPrivateKey: Data, store: String) throws(StoreCryptoError) -> StoreSecret {
        do {
            guard wrapped.count > 32 else { throw StoreCryptoError.damaged("short") }
            var recipient = try HPKE.Recipient(privateKey: try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: hubPrivateKey),
                                               ciphersuite: RowSealer.suite, info: recoveryInfo, encapsulatedKey: Data(wrapped.prefix(32)))
            return try StoreSecret(rawRepresentation: try recipient.open(wrapped.dropFirst(32), authenticating: Data(store.utf8)))
        } catch {
            throw .damaged("the recovery request is not for this hub's recovery key, or was altered")
        }
    }
}
