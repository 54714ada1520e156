import CitizenPseudonym
import Foundation
import Platform
import OfflineBundle
import SyncProtocol

/// The hub's secrets in a file of their own, created with mode 0600 beside the database (or where
/// `--key-file` / `$FIELDSYNC_KEY_FILE` says, e.g. a secrets manager's mount), never inside it: a
/// copy of the database alone holds no key. It holds the pseudonym key (Protocol/README.md §4.2).
public struct HubKeyFile: Sendable, Equatable {
    /// The file.
    public let path: String

    /// A key file at `path`.
    public init(path: String) { self.path = path }

    /// The default for a SQLite hub: `hub.sqlite.keys` beside `hub.sqlite`.
    public static func beside(_ database: String) -> HubKeyFile { HubKeyFile(path: database + ".keys") }

    /// `$FIELDSYNC_KEY_FILE` when set, else `fallback`.
    public static func fromEnvironment(or fallback: HubKeyFile) -> HubKeyFile {
        ProcessInfo.processInfo.environment["FIELDSYNC_KEY_FILE"].flatMap { $0.isEmpty ? nil : HubKeyFile(path: $0) } ?? fallback
    }

    /// The file's JSON. Version 1 held protocol 2's keyed-hash key (`citizenKey`), which is dropped.
    struct Contents: Codable {
        var version = 2
        var pseudonymKeyVersion: Int?
        /// The raw P-384 scalar, hex.
        var pseudonymKey: String?
        var citizenKey: String?
        /// The X25519 key laptops wrap their store keys to, for recovery (raw, hex).
        var recoveryKey: String?
        /// The hub's offline-bundle keys (`BundleKeys.privateText`, §9).
        var bundleKeys: String?
    }

    /// The hub's offline-bundle keys, made and saved at first use.
    /// - Throws: `HubStoreError.keyFile` when the file cannot be read or written, or has no pseudonym key yet.
    public func bundleKeys() throws(HubStoreError) -> BundleKeys {
        guard let contents = try contents() else { throw .keyFile(path: path, problem: "does not exist yet: start the hub once (`fieldsync-server serve`)") }
        if let text = contents.bundleKeys {
            guard let keys = BundleKeys(privateText: text) else { throw .keyFile(path: path, problem: "holds damaged bundle keys") }
            return keys
        }
        let keys = BundleKeys()
        var updated = contents
        updated.bundleKeys = keys.privateText
        try store(updated, replacing: true)
        return keys
    }

    /// The pseudonym key in the file, nil when the file does not exist or holds only a protocol-2 key.
    /// A file readable by others is narrowed to its owner.
    /// - Throws: `HubStoreError.keyFile` when it exists but cannot be read or is not a key file.
    public func pseudonymKey() throws(HubStoreError) -> PseudonymSecret? {
        try contents().flatMap { contents throws(HubStoreError) in try secret(contents) }
    }

    /// The recovery private key (X25519 raw, 32 bytes), nil when the file has none yet.
    public func recoveryKey() throws(HubStoreError) -> Data? {
        try contents()?.recoveryKey.flatMap { CitizenPseudonym.bytes(hex: $0) }.flatMap { $0.count == 32 ? $0 : nil }
    }

    func contents() throws(HubStoreError) -> Contents? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let contents: Contents
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let mode = attributes[.posixPermissions] as? Int, mode & 0o077 != 0 {
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
            }
            contents = try JSONDecoder().decode(Contents.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        } catch {
            throw .keyFile(path: path, problem: "cannot be read as a hub key file (\(error))")
        }
        return contents
    }

    func secret(_ contents: Contents) throws(HubStoreError) -> PseudonymSecret? {
        guard let hex = contents.pseudonymKey else {
            guard contents.citizenKey != nil else { throw .keyFile(path: path, problem: "holds no key") }
            return nil
        }
        guard let version = contents.pseudonymKeyVersion, version > 0, let raw = CitizenPseudonym.bytes(hex: hex),
              let key = try? CitizenPseudonym.HubKey(rawRepresentation: raw)
        else {
            // Losing the parse error is safe: the message says what is wrong with the file.
            throw .keyFile(path: path, problem: "holds no valid pseudonym key")
        }
        return PseudonymSecret(version: version, key: key)
    }

    /// Writes `secret` as the file's only key, readable by its owner only, on disk before it returns.
    /// With `replacing` false an existing file is left alone (another hub process made it first) and false returned.
    /// - Throws: `HubStoreError.keyFile` when it cannot be written.
    @discardableResult
    public func save(_ secret: PseudonymSecret, recoveryKey: Data, replacing: Bool) throws(HubStoreError) -> Bool {
        // Losing the read error is safe: an unreadable file is being replaced, and its bundle keys could not be used anyway.
        let bundleKeys = ((try? contents()) ?? nil)?.bundleKeys
        let contents = Contents(pseudonymKeyVersion: secret.version, pseudonymKey: CitizenPseudonym.hex(secret.key.rawRepresentation),
                                recoveryKey: CitizenPseudonym.hex(recoveryKey), bundleKeys: bundleKeys)
        return try store(contents, replacing: replacing)
    }

    /// Writes `contents` as the file, readable by its owner only, on disk before it returns.
    @discardableResult
    func store(_ contents: Contents, replacing: Bool) throws(HubStoreError) -> Bool {
        let data: Data
        do { data = try JSONEncoder().encode(contents) } catch {
            throw .keyFile(path: path, problem: "could not be encoded (\(error))")
        }
        do {
            if replacing {
                try PrivateFile.replace(path, with: Array(data), durable: true)
            } else if try !PrivateFile.create(path, with: Array(data)) {
                return false
            }
        } catch {
            throw .keyFile(path: path, problem: "could not be written (\(error))")
        }
        return true
    }
}

/// A version of the hub's pseudonym key with its private half.
public struct PseudonymSecret: Sendable {
    /// 1, then one more at each rotation.
    public let version: Int
    /// The OPRF key.
    public let key: CitizenPseudonym.HubKey

    /// A key version.
    public init(version: Int, key: CitizenPseudonym.HubKey) {
        self.version = version
        self.key = key
    }

    /// What laptops are told of it.
    public var publicKey: PseudonymKey { PseudonymKey(version: version, publicKey: CitizenPseudonym.hex(key.publicKey)) }
}
