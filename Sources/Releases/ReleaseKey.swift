import Crypto
import Foundation
import Platform

/// The release key (Ed25519): its private half signs packages where they are built; its public half is pinned by the
/// laptops and the hub, which refuse any package it did not sign.
public struct ReleaseKey: Sendable {
    let key: Curve25519.Signing.PrivateKey

    /// A new key.
    public static func generate() -> ReleaseKey { ReleaseKey(key: Curve25519.Signing.PrivateKey()) }

    /// The key in a file written by `save(to:)`.
    public init(file path: String) throws(ReleaseError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8),  // Why it cannot be read is said below.
              let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)  // A wrong length: the same words.
        else { throw .unreadable("\(path) is not a release key (made by `fieldsync-server release keygen`)") }
        self.key = key
    }

    init(key: Curve25519.Signing.PrivateKey) { self.key = key }

    /// Writes the private half, readable by its owner only; an existing file is never replaced.
    public func save(to path: String) throws(ReleaseError) {
        do {
            guard try PrivateFile.create(path, with: Array((key.rawRepresentation.base64EncodedString() + "\n").utf8)) else {
                throw ReleaseError.unreadable("\(path) exists already: a release key is never replaced by accident")
            }
        } catch let error as ReleaseError {
            throw error
        } catch {
            throw .unreadable("cannot write \(path) (\(error))")
        }
    }

    /// The public half.
    public var publicKey: ReleasePublicKey { ReleasePublicKey(key: key.publicKey) }

    func sign(_ message: [UInt8]) throws -> Data { try key.signature(for: message) }
}

/// The public half of the release key, as text: 43 characters of base64 (`Ctx…=`).
public struct ReleasePublicKey: Sendable, Equatable, CustomStringConvertible {
    let key: Curve25519.Signing.PublicKey

    init(key: Curve25519.Signing.PublicKey) { self.key = key }

    /// The key written as text (`description`), nil for anything else.
    public init?(text: String) {
        guard let raw = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)),
              let key = try? Curve25519.Signing.PublicKey(rawRepresentation: raw)  // Not a key: nil, as documented.
        else { return nil }
        self.key = key
    }

    /// The key in a file holding its text (`release-key.pub`).
    public init(file path: String) throws(ReleaseError) {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8), let key = ReleasePublicKey(text: text) else {  // Said below.
            throw .unreadable("\(path) is not a release key's public half")
        }
        self = key
    }

    public var description: String { key.rawRepresentation.base64EncodedString() }

    public static func == (a: ReleasePublicKey, b: ReleasePublicKey) -> Bool { a.key.rawRepresentation == b.key.rawRepresentation }

    func verifies(_ signature: Data, of message: [UInt8]) -> Bool { key.isValidSignature(signature, for: message) }
}
