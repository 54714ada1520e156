import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The secret of one encrypted field store: a data key (AES-256-GCM) for what is written while the
/// store is unlocked, and an X25519 key pair whose public half lets `fieldsync log` write while it
/// is locked (Protocol/THREATS.md, "The laptop store").
public struct StoreSecret: Sendable, Equatable {
    /// 32 bytes of data key, then 32 bytes of X25519 private key.
    public let rawRepresentation: Data

    /// A new random secret.
    public init() {
        rawRepresentation = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
            + Curve25519.KeyAgreement.PrivateKey().rawRepresentation
    }

    /// A secret read back from its 64 bytes.
    public init(rawRepresentation: Data) throws(StoreCryptoError) {
        // Losing the parse error is safe: a key that does not parse is refused here, with what is wrong.
        guard rawRepresentation.count == 64,
              (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation.suffix(32))) != nil
        else { throw .damaged("the store key has the wrong shape") }
        self.rawRepresentation = Data(rawRepresentation)
    }

    var dataKey: SymmetricKey { SymmetricKey(data: rawRepresentation.prefix(32)) }

    var agreementKey: Curve25519.KeyAgreement.PrivateKey {
        // Losing the error is safe: the bytes were parsed once already when the secret was made, so this cannot fail.
        (try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation.suffix(32))) ?? Curve25519.KeyAgreement.PrivateKey()
    }

    /// The public key rows are sealed to while the store is locked (32 bytes).
    public var publicKey: Data { agreementKey.publicKey.rawRepresentation }
}

/// Why a store's secret could not be used.
public enum StoreCryptoError: Error, Equatable, Sendable, CustomStringConvertible {
    case wrongPassphrase
    case locked
    case damaged(String)

    public var description: String {
        switch self {
        case .wrongPassphrase: "wrong passphrase: nothing was changed; try again (Caps Lock? keyboard language?)"
        case .locked: "this store is locked: run `fieldsync unlock` and type your passphrase (once a day)"
        case .damaged(let detail): "encrypted data in the store cannot be read (\(detail)): nothing was changed; keep the file and tell your coordinator"
        }
    }
}
