import Crypto
import SyncCore
import Foundation
import SyncProtocol

/// What the release key signs for one package file: its name, version, size and SHA-256. It travels beside the package
/// (`<file>.release.json`), is checked by the hub when the operator publishes and by the laptop before it installs.
public struct ReleaseManifest: Codable, Sendable, Equatable {
    /// The Debian package (`fieldsync`, `fieldsync-hub`).
    public var package: String
    /// Its Debian version: the release (`0.4.0`, what `--version` prints) and the packaging revision (`-1`).
    public var version: String
    /// The file's name (`fieldsync_0.4.0-1_amd64.deb`).
    public var file: String
    public var size: Int64
    /// SHA-256 of the file, 64 hex digits.
    public var sha256: String
    /// The public half of the key that signed it.
    public var key: String
    /// Ed25519 over `signedBytes`, base64.
    public var signature: String

    /// The bytes the key signs: every field but the signature, one per line after a fixed header.
    var signedBytes: [UInt8] { Array("fieldsync-release/1\n\(package)\n\(version)\n\(file)\n\(size)\n\(sha256)\n\(key)\n".utf8) }

    /// Signs the package file at `path` (its name gives the package and version: `name_version_arch.deb`).
    public static func sign(_ path: String, with key: ReleaseKey) throws -> ReleaseManifest {
        let file = (path as NSString).lastPathComponent
        let parts = file.split(separator: "_")
        guard file.hasSuffix(".deb"), parts.count == 3, ReleaseVersion.debian(String(parts[1])) != nil else {
            throw ReleaseError.unreadable("\(file) is not named like a Debian package (name_version_arch.deb)")
        }
        let (size, digest) = try digest(of: path)
        var manifest = ReleaseManifest(package: String(parts[0]), version: String(parts[1]), file: file, size: size, sha256: digest,
                                       key: key.publicKey.description, signature: "")
        manifest.signature = try key.sign(manifest.signedBytes).base64EncodedString()
        return manifest
    }

    /// Checks the manifest was signed by `pinned` (else `.forged`) and that the file at `path` is the one signed
    /// (else `.altered`).
    public func verify(_ path: String, pinned: ReleasePublicKey) throws(ReleaseError) {
        try verifySignature(pinned: pinned)
        let (size, digest): (Int64, String)
        do { (size, digest) = try Self.digest(of: path) } catch { throw .unreadable("cannot read \(path)") }
        guard size == self.size, digest == sha256 else {
            throw .altered("\(file) is not the file the release key signed (its size or SHA-256 differs): it was altered or cut; it is not installed")
        }
    }

    /// Checks only the signature against `pinned`.
    public func verifySignature(pinned: ReleasePublicKey) throws(ReleaseError) {
        guard key == pinned.description, let signature = Data(base64Encoded: signature), pinned.verifies(signature, of: signedBytes) else {
            throw .forged("\(file) is not signed by the pinned release key: it is refused")
        }
    }

    /// The manifest in a file written by `Tools/package.sh` or `release sign`.
    public init(file path: String) throws(ReleaseError) {
        guard let data = FileManager.default.contents(atPath: path), data.count <= 16_384,
              let manifest = try? JSONDecoder().decode(ReleaseManifest.self, from: data)  // Said below.
        else { throw .unreadable("\(path) is not a release manifest (<package>.deb.release.json)") }
        self = manifest
    }

    init(package: String, version: String, file: String, size: Int64, sha256: String, key: String, signature: String) {
        self.package = package
        self.version = version
        self.file = file
        self.size = size
        self.sha256 = sha256
        self.key = key
        self.signature = signature
    }

    /// The manifest as JSON, one field per line.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// Size and SHA-256 (hex) of a file, read in 1 MiB pieces.
    static func digest(of path: String) throws -> (Int64, String) {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ReleaseError.unreadable("cannot read \(path)") }
        defer { try? handle.close() }  // Losing this error is safe: the file was only read.
        var hash = SHA256()
        var size: Int64 = 0
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty {
            hash.update(data: piece)
            size += Int64(piece.count)
        }
        return (size, Hex.encode(hash.finalize()))
    }
}
