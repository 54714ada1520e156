import CitizenPseudonym
import Crypto
import Foundation
import SyncProtocol

/// Brings a hub's key file and its store into agreement at start, and rotates the key (Protocol/THREATS.md).
public enum HubSecrets {
    /// The pseudonym key to serve with: the key file's, made at a new hub's first start. A protocol-2
    /// key file is replaced by one with a new pseudonym key (its keyed-hash key is dropped: laptops
    /// re-derive their pseudonyms). A missing key file of a hub that had one, or a key file of another
    /// hub, is refused with what to do.
    public static func open(_ file: HubKeyFile, storage: any HubStorage) async throws -> PseudonymSecret {
        let inUse = try await storage.pseudonymKeyInUse()
        var secret = try file.pseudonymKey()
        if secret == nil {
            let legacy = FileManager.default.fileExists(atPath: file.path)
            if let inUse, !legacy {
                throw HubStoreError.keyFile(path: file.path, problem: "is missing, and this hub made pseudonyms with key version "
                                            + "\(inUse.version): restore the key file from its backup, or run "
                                            + "`fieldsync-server keys rotate` to start version \(inUse.version + 1) (laptops re-derive what they still can)")
            }
            let fresh = PseudonymSecret(version: (inUse?.version ?? 0) + 1, key: CitizenPseudonym.HubKey())
            // Another hub process may have made the file first: then its key is the one.
            secret = try file.save(fresh, recoveryKey: newRecoveryKey(), replacing: legacy) ? fresh : file.pseudonymKey()
        }
        guard let secret else { throw HubStoreError.keyFile(path: file.path, problem: "holds no valid pseudonym key") }
        if let inUse {
            if inUse.version == secret.version && inUse.publicKey != secret.publicKey.publicKey {
                throw HubStoreError.keyFile(path: file.path, problem: "belongs to another hub: give this hub's key file")
            }
            if inUse.version > secret.version {
                throw HubStoreError.keyFile(path: file.path, problem: "holds key version \(secret.version), older than the "
                                            + "version \(inUse.version) this hub uses: give its current key file")
            }
        }
        if inUse != secret.publicKey { try await storage.setPseudonymKeyInUse(secret.publicKey) }
        if try file.recoveryKey() == nil { try file.save(secret, recoveryKey: newRecoveryKey(), replacing: true) }
        return secret
    }

    /// A new X25519 recovery key (raw).
    static func newRecoveryKey() -> Data { Curve25519.KeyAgreement.PrivateKey().rawRepresentation }

    /// The recovery public key (64 hex) laptops wrap their store keys to.
    public static func recoveryPublicKey(_ file: HubKeyFile) throws -> String? {
        try file.recoveryKey().map { CitizenPseudonym.hex(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: $0).publicKey.rawRepresentation) }
    }

    /// Replaces the key with a new version (the old one is gone for good) and records it in the store.
    /// Hub processes read the key at start: restart every one after a rotation.
    public static func rotate(_ file: HubKeyFile, storage: any HubStorage) async throws -> PseudonymSecret {
        // Losing the read error is safe: a rotation replaces an unreadable key file too.
        let current = try? file.pseudonymKey()
        let inUse = try await storage.pseudonymKeyInUse()
        let version = max((current ?? nil)?.version ?? 0, inUse?.version ?? 0) + 1
        let fresh = PseudonymSecret(version: version, key: CitizenPseudonym.HubKey())
        // The recovery key stays: laptops' store keys are wrapped to it. Losing the read error is safe:
        // an unreadable file is being replaced, and its recovery key could not be used anyway.
        let recovery = (try? file.recoveryKey()) ?? nil
        try file.save(fresh, recoveryKey: recovery ?? newRecoveryKey(), replacing: true)
        try await storage.setPseudonymKeyInUse(fresh.publicKey)
        return fresh
    }
}
