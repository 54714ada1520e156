import CryptoExtras
import SyncCore
import Foundation

/// Pseudonyms of citizen IDs by an oblivious PRF (RFC 9497, VOPRF(P-384, SHA-384)): a laptop blinds
/// the 12 digits, the hub evaluates the blinded element with a key only it holds and proves it used
/// that key, the laptop verifies and unblinds. The hub never sees the CCCD; the laptop never holds the
/// key, so neither a stolen laptop nor a copy of the hub's database can recompute pseudonyms offline.
public enum CitizenPseudonym {
    /// Lowercase hex of bytes (the wire form of keys, blinded elements and evaluations).
    public static func hex(_ data: Data) -> String { Hex.encode(data) }

    /// The bytes of lowercase hex, nil for anything else.
    public static func bytes(hex: String) -> Data? { Hex.bytes(hex).map { Data($0) } }

    /// What a laptop keeps between blinding and finalizing (in memory, within one sync).
    /// Not `Sendable`: the blind is secret and belongs to the task that made it.
    public struct Pending {
        let input: P384._VOPRF.BlindedInput
        /// The blinded element, as sent to the hub (RFC 9497 encoding, 49 bytes).
        public var request: Data { input.blindedElement.oprfRepresentation }
    }

    /// Blinds CCCDs. Blinding does not depend on the hub's key (RFC 9497 §3.3.2: a random scalar
    /// times the hashed input), so a laptop can ask before it knows the key and check the answer after.
    /// - Throws: `PseudonymError.malformedRequest` if the library refuses an input.
    public static func blind(_ digits: [String]) throws(PseudonymError) -> [Pending] {
        // Any public key will do: `blind` uses none of it (swift-crypto's client blinds statically).
        let key = P384._VOPRF.PrivateKey().publicKey
        do { return try digits.map { Pending(input: try key.blind(Data($0.utf8))) } } catch { throw .malformedRequest }
    }

    /// Checks the hub's proof and unblinds: the pseudonym (48 bytes, as 96 hex digits).
    /// - Throws: `PseudonymError.badEvaluation` when the answer is not the hub key's evaluation of this request.
    public static func finalize(_ pending: Pending, evaluation: Data, hubPublicKey: Data) throws(PseudonymError) -> String {
        do {
            let key = try P384._VOPRF.PublicKey(compressedRepresentation: hubPublicKey)
            let answer = try P384._VOPRF.BlindEvaluation(rawRepresentation: evaluation)
            return hex(Data(try key.finalize(pending.input, using: answer)))
        } catch {
            throw .badEvaluation
        }
    }

    /// The hub's key: it evaluates blinded requests and never leaves the hub (kept as its raw scalar,
    /// parsed for each use: a few microseconds beside an evaluation's scalar multiplications).
    public struct HubKey: Sendable {
        /// The raw bytes to keep in the key file.
        public let rawRepresentation: Data
        /// The public key laptops verify evaluations with (compressed point, 49 bytes).
        public let publicKey: Data

        /// A new random key.
        public init() {
            let key = P384._VOPRF.PrivateKey(compactRepresentable: false)
            rawRepresentation = key.rawRepresentation
            publicKey = key.publicKey.compressedRepresentation
        }

        /// A key read back from its raw bytes (a key file).
        public init(rawRepresentation: Data) throws(PseudonymError) {
            do {
                let key = try P384._VOPRF.PrivateKey(rawRepresentation: rawRepresentation)
                self.rawRepresentation = key.rawRepresentation
                publicKey = key.publicKey.compressedRepresentation
            } catch {
                throw .malformedKey
            }
        }

        func key() throws(PseudonymError) -> P384._VOPRF.PrivateKey {
            do { return try P384._VOPRF.PrivateKey(rawRepresentation: rawRepresentation) } catch { throw .malformedKey }
        }

        /// Evaluates a laptop's blinded request, with a proof (RFC 9497 §3.3.2).
        public func evaluate(_ request: Data) throws(PseudonymError) -> Data {
            let key = try key()
            do {
                return try key.evaluate(P384._VOPRF.BlindedElement(oprfRepresentation: request)).rawRepresentation
            } catch {
                throw .malformedRequest
            }
        }

        /// The pseudonym of a CCCD computed directly, as a laptop's blinded round trip gives it (tests and vectors).
        public func pseudonym(of digits: String) throws(PseudonymError) -> String {
            try output(for: Data(digits.utf8))
        }

        /// The PRF output for any input (RFC 9497 `Evaluate`), hex.
        public func output(for input: Data) throws(PseudonymError) -> String {
            let key = try key()
            do { return hex(Data(try key.evaluate(input))) } catch { throw .malformedRequest }
        }
    }
}

/// Why a pseudonym could not be made.
public enum PseudonymError: Error, Equatable, CustomStringConvertible {
    case malformedKey
    case malformedRequest
    case badEvaluation

    public var description: String {
        switch self {
        case .malformedKey: "the hub's pseudonym key is not a P-384 VOPRF key"
        case .malformedRequest: "the blinded citizen ID is not a P-384 point"
        case .badEvaluation: "the hub's answer does not prove it used its published key: the pseudonym was not accepted"
        }
    }
}
