import Crypto
import FieldModel
import FieldStore
import Foundation
import OfflineBundle
import SyncCore
import SyncProtocol

/// A LAN sync between two laptops of one commune (Protocol/README.md §9.1). The serving laptop says
/// hello with its certificate and a fresh nonce; the other answers with its certificate and every
/// state of the commune, signed with its key and sealed to the server's; the server checks both (the
/// hub signed the certificate, for this commune, not expired, not revoked; the request is signed by
/// the key in it and names its nonce), merges, and answers with the states the client lacks, signed
/// and sealed to the client, which checks and merges them. Merges follow the sync rules and log conflicts as pulls do;
/// nothing received is pushed by the laptop that received it, so the hub sees each write once.
public enum PeerExchange {
    /// What a serving laptop says first.
    public struct Hello: Codable, Sendable {
        public let certificate: DeviceCertificate
        public let nonce: String

        /// Makes a hello.
        public init(certificate: DeviceCertificate, nonce: String) {
            self.certificate = certificate
            self.nonce = nonce
        }
    }

    /// A request's or an answer's body: `{"certificate" (requests only), "nonce", "states": <the compact
    /// form, §6.3>}`, written and read with the wire's fast writer and parser.
    struct Body {
        let certificate: DeviceCertificate?
        let nonce: String
        let states: [RecordState]
        /// Most states one exchange carries (a commune's visits, with room to spare).
        static let maxStates = 1_000_000

        func encoded() -> Data {
            var out = JSONWriter(capacity: 400 * states.count + 1_024)
            out.raw("{")
            if let certificate {
                out.raw("\"certificate\":")
                certificate.write(to: &out)
                out.comma()
            }
            out.raw("\"nonce\":")
            out.string(nonce)
            out.raw(",\"states\":")
            CompactStates.write(states, to: &out)
            out.raw("}")
            return Data(out.bytes)
        }

        /// Reads a body; `what` names it in errors ("request", "answer").
        static func decode(_ data: Data, what: String) throws(PeerError) -> Body {
            do throws(WireDecodingError) {
                let json = try JSONParser.parse([UInt8](data))
                guard case .string(let nonce)? = json["nonce"], let states = json["states"] else {
                    throw .invalid("it should be an object with a nonce and states")
                }
                let certificate = try json["certificate"].map { value throws(WireDecodingError) in try DeviceCertificate(json: value, path: ".certificate") }
                return Body(certificate: certificate, nonce: nonce, states: try CompactStates.read(states, limit: maxStates, path: ".states"))
            } catch {
                throw PeerError.untrusted("its \(what) cannot be read (\(error))")
            }
        }
    }

    /// What one side did.
    public struct Outcome: Sendable {
        /// The other laptop's device and volunteer's commune.
        public let peer: String
        /// States sent, and what merging the other's changed here.
        public let sent: Int
        public let received: Int
        public let conflicts: Int
    }

    /// This laptop's side of the trust: its keys and certificate, the hub's key, the revocations.
    struct Credentials {
        let keys: BundleKeys
        let certificate: DeviceCertificate
        let claims: DeviceCertificate.Claims
        let hub: Curve25519.Signing.PublicKey
        let hubReplica: String
        let revoked: Set<String>

        init(_ store: FieldStore, now: Date) throws {
            guard let hubText = try store.hubBundleKeys(), let hub = BundleKeys.publicKeys(hubText)?.signing,
                  let (certificate, hubReplica, revoked) = try store.peerCredentials()
            else { throw PeerError.notReady("this laptop has no certificate yet: enrol it again (`fieldsync enroll --again`) and sync once") }
            keys = try store.bundleKeys()
            self.certificate = certificate
            self.hub = hub
            self.hubReplica = hubReplica
            self.revoked = revoked
            claims = try certificate.verified(by: hub, hubReplica: hubReplica, revoked: [], now: now)
        }

        /// The other laptop's claims, checked, for this laptop's commune.
        func check(_ other: DeviceCertificate, now: Date) throws -> DeviceCertificate.Claims {
            let peer = try other.verified(by: hub, hubReplica: hubReplica, revoked: revoked, now: now)
            guard peer.commune == claims.commune else { throw PeerError.otherCommune(peer.commune) }
            guard peer.device != claims.device else { throw PeerError.untrusted("it is this laptop itself") }
            return peer
        }
    }

    /// The keys a checked certificate names.
    static func keys(of peer: DeviceCertificate.Claims) throws -> (signing: Curve25519.Signing.PublicKey, agreement: Curve25519.KeyAgreement.PublicKey) {
        guard let keys = BundleKeys.publicKeys(peer.keys) else { throw PeerError.untrusted("its certificate holds no keys") }
        return keys
    }

    /// The serving laptop's hello.
    public static func hello(_ store: FieldStore, nonce: String, now: Date = Date()) throws -> Hello {
        Hello(certificate: try Credentials(store, now: now).certificate, nonce: nonce)
    }

    /// The client's request to a laptop that said `hello`: every state of the commune, signed and sealed to it.
    public static func request(_ store: FieldStore, to hello: Hello, now: Date = Date()) throws -> (file: Data, peer: DeviceCertificate.Claims, sent: Int) {
        let mine = try Credentials(store, now: now)
        let peer = try mine.check(hello.certificate, now: now)
        guard let peerKeys = BundleKeys.publicKeys(peer.keys) else { throw PeerError.untrusted("its certificate holds no keys") }
        let states = try store.states(commune: mine.claims.commune)
        let body = Body(certificate: mine.certificate, nonce: hello.nonce, states: states).encoded()
        // The certificate also goes outside the compressed body, so the other laptop checks it and the signature first.
        var certificate = JSONWriter(capacity: 1_024)
        mine.certificate.write(to: &certificate)
        let file = try OfflineBundle.seal(body, kind: .peerRequest, to: peerKeys.agreement, signedBy: mine.keys.signing,
                                          signer: String(decoding: certificate.bytes, as: UTF8.self))
        return (file, peer, states.count)
    }

    /// The serving laptop's side: checks a request, merges its states, and answers with its own.
    /// - Parameter takeNonce: whether the nonce is one this laptop issued and has not seen used (it is used up).
    public static func answer(_ file: Data, into store: FieldStore, takeNonce: (String) -> Bool, now: Date = Date()) throws -> (file: Data, outcome: Outcome) {
        let mine = try Credentials(store, now: now)
        let peer: DeviceCertificate.Claims
        let opened = try OfflineBundle.open(file, kind: .peerRequest, with: mine.keys.agreement)
        // The certificate is read, checked and its key's signature verified before the body is inflated (format 3); a
        // format-2 request names it inside the body, read first up to its limit.
        let claimed: Body
        if let signer = opened.signer {
            let certificate: DeviceCertificate
            do {
                certificate = try DeviceCertificate(json: try JSONParser.parse(Array(signer.utf8)), path: "its certificate")
            } catch {
                throw PeerError.untrusted("its request names no readable certificate")
            }
            peer = try mine.check(certificate, now: now)
            do {
                try opened.verify(signedBy: try keys(of: peer).signing, signer: peer.device)
            } catch {
                throw PeerError.untrusted("its request is not signed by the key its certificate names")
            }
            claimed = try Body.decode(try opened.body(signedBy: try keys(of: peer).signing, signer: peer.device), what: "request")
            guard claimed.certificate == nil || claimed.certificate == certificate else {
                throw PeerError.untrusted("its request names two certificates")
            }
        } else {
            claimed = try Body.decode(try opened.unverifiedBody(), what: "request")
            guard let certificate = claimed.certificate else { throw PeerError.untrusted("its request holds no certificate") }
            peer = try mine.check(certificate, now: now)
            do {
                try opened.verify(signedBy: try keys(of: peer).signing, signer: peer.device)
            } catch {
                throw PeerError.untrusted("its request is not signed by the key its certificate names")
            }
        }
        let peerKeys = try keys(of: peer)
        guard takeNonce(claimed.nonce) else { throw PeerError.untrusted("its request answers no hello of this laptop (replayed?)") }
        let merged = try merge(claimed.states, commune: mine.claims.commune, into: store, now: now)
        // The answer leaves out the states the client sent that this laptop holds unchanged.
        let theirs = Set(claimed.states)
        let states = try store.states(commune: mine.claims.commune).filter { !theirs.contains($0) }
        let body = Body(certificate: nil, nonce: claimed.nonce, states: states).encoded()
        let sealed = try OfflineBundle.seal(body, kind: .peerAnswer, to: peerKeys.agreement, signedBy: mine.keys.signing, signer: mine.claims.device)
        return (sealed, Outcome(peer: peer.device, sent: states.count, received: merged.changed, conflicts: merged.conflicts))
    }

    /// The client's side of the answer: checks it came from the laptop it asked, then merges.
    public static func finish(_ file: Data, from peer: DeviceCertificate.Claims, nonce: String, sent: Int, into store: FieldStore,
                              now: Date = Date()) throws -> Outcome {
        let mine = try Credentials(store, now: now)
        guard let peerKeys = BundleKeys.publicKeys(peer.keys) else { throw PeerError.untrusted("its certificate holds no keys") }
        let body = try OfflineBundle.open(file, kind: .peerAnswer, with: mine.keys.agreement).body(signedBy: peerKeys.signing, signer: peer.device)
        let answer = try Body.decode(body, what: "answer")
        guard answer.nonce == nonce else { throw PeerError.untrusted("its answer is to another request") }
        let merged = try merge(answer.states, commune: mine.claims.commune, into: store, now: now)
        return Outcome(peer: peer.device, sent: sent, received: merged.changed, conflicts: merged.conflicts)
    }

    /// Merges what a laptop of the commune sent (states of another commune are refused whole).
    static func merge(_ states: [RecordState], commune: String, into store: FieldStore, now: Date) throws -> (changed: Int, conflicts: Int) {
        for state in states where state[VisitField.commune.rawValue]?.value != .text(commune) {
            throw PeerError.untrusted("it sent visit \(state.id.prefix(40)) of another commune")
        }
        // The same validation as the hub's (Visit.validated): a laptop never takes from another what the hub would
        // refuse. Losing this error is safe: such a state is left out, and the hub has the final word on it when its
        // writer syncs.
        let valid = states.filter { state in (try? Visit.validated(state, now: now)) != nil }
        // Nothing of the villages this laptop does not cover, whatever the other laptop holds (§7.3).
        let summary = try store.receive(try store.withinScope(valid), now: now)
        return (summary.fastForward + summary.merged + summary.conflicts + summary.editVsDelete, summary.conflicts + summary.editVsDelete)
    }
}
