import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import OfflineBundle
import SyncCore
import SyncProtocol
import Testing
@testable import FieldSyncClient

/// The LAN exchange (Protocol/README.md §9.1) between real stores, without the network: the happy path,
/// and every attack a laptop on the LAN can make refused before anything is written.
@Suite struct PeerExchangeTests {
    /// Laptops enrolled at one hub (its keys and replica id), with certificates it signed.
    struct Hub {
        let keys = BundleKeys()
        let replica = ReplicaID(rawValue: 0x4855_4201)
        let dir = TemporaryDirectory()

        /// A laptop of `commune` holding `visits` of its own; its certificate signed by `signer` (this hub by default).
        func laptop(_ name: String, commune: String = "00004", visits: Int = 2, expires: TimeInterval = DeviceCertificate.validity,
                    signer: BundleKeys? = nil) throws -> (store: FieldStore, device: String) {
            let store = try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-01", commune: commune)
            let device = "d-\(name)"
            var response = EnrollResponse(token: "t-\(name)", device: device, role: .volunteer, scope: Scope(team: "T-01", commune: commune),
                                          citizenIdKey: nil, hubReplica: replica, maxDriftMillis: 600_000)
            response.hubBundleKeys = keys.publicText
            let now = Date()
            response.certificate = try DeviceCertificate(
                DeviceCertificate.Claims(device: device, commune: commune, team: "T-01", keys: try store.bundleKeys().publicText,
                                         hub: replica.description, issued: ISODate.format(now),
                                         expires: ISODate.format(now.addingTimeInterval(expires))),
                signedBy: (signer ?? keys).signing)
            try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
            _ = try store.log((0..<visits).map { VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "\(name) \($0)") })
            return (store, device)
        }
    }

    static func ids(_ store: FieldStore) throws -> Set<String> { Set(try store.visits().map(\.visit.id)) }

    /// A request made by hand: `certificate` (the sender's own by default), `states`, signed with `sender`'s
    /// key (or `signer`), sealed to `server`, answering nonce "n1".
    static func crafted(by sender: FieldStore, to server: FieldStore, certificate: DeviceCertificate? = nil, states: [RecordState]? = nil,
                        signer: BundleKeys? = nil) throws -> Data {
        let serverKeys = try #require(BundleKeys.publicKeys(try server.bundleKeys().publicText))
        let named = try certificate ?? #require(try sender.peerCredentials()).certificate
        let body = PeerExchange.Body(certificate: named, nonce: "n1", states: try states ?? sender.states(commune: "00004")).encoded()
        var text = JSONWriter(capacity: 1_024)
        named.write(to: &text)
        return try OfflineBundle.seal(body, kind: .peerRequest, to: serverKeys.agreement, signedBy: (try signer ?? sender.bundleKeys()).signing,
                                      signer: String(decoding: text.bytes, as: UTF8.self))
    }

    /// `client` asks `server` (which issued `nonce`); returns the server's refusal, after checking it wrote nothing.
    static func refused(_ request: Data, by server: FieldStore, nonce: String = "n1") throws -> Error? {
        let before = try ids(server)
        do {
            _ = try PeerExchange.answer(request, into: server) { $0 == nonce }
            return nil
        } catch {
            #expect(try ids(server) == before, "nothing written after: \(error)")
            return error
        }
    }

    @Test func twoLaptopsEndWithEveryVisitEitherHeldAndNoConflict() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan", visits: 3), (binh, binhDevice) = try hub.laptop("Bình", visits: 2)
        let all = try Self.ids(lan).union(try Self.ids(binh))
        let hello = try PeerExchange.hello(lan, nonce: "n1")
        let (request, peer, sent) = try PeerExchange.request(binh, to: hello)
        #expect(sent == 2 && peer.device == "d-Lan")
        let (answer, served) = try PeerExchange.answer(request, into: lan) { $0 == "n1" }
        #expect(served.peer == binhDevice && served.received == 2 && served.sent == 3 && served.conflicts == 0)
        let finished = try PeerExchange.finish(answer, from: peer, nonce: "n1", sent: sent, into: binh)
        #expect(finished.received == 3 && finished.conflicts == 0)
        #expect(try Self.ids(lan) == all && Self.ids(binh) == all)
        // What came from the other laptop is not this one's to push: each pushes its own writes only.
        #expect(try lan.pendingPush().states.count == 3 && binh.pendingPush().states.count == 2)
    }

    @Test func aReplayedOrAlteredRequestIsRefusedAndWritesNothing() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan"), (binh, _) = try hub.laptop("Bình")
        let (request, _, _) = try PeerExchange.request(binh, to: try PeerExchange.hello(lan, nonce: "n1"))
        #expect("\(try #require(try Self.refused(request, by: lan, nonce: "other")))".contains("replayed"), "a nonce not issued, or used")
        var altered = request
        altered[altered.count / 2] ^= 0x01
        #expect(try Self.refused(altered, by: lan) != nil)
        #expect(try Self.refused(request.prefix(request.count - 10), by: lan) != nil, "cut short")
        #expect(try Self.refused(Data("{}".utf8), by: lan) != nil)
    }

    @Test func certificatesTheHubDidNotSignOrThatExpiredOrWereRevokedAreRefused() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan")
        // A laptop that signed its own certificate: it cannot even say hello, and Lan refuses its request.
        let (forger, _) = try hub.laptop("Forger", signer: BundleKeys())
        #expect(throws: PeerError.self) { try PeerExchange.hello(forger, nonce: "n1") }
        #expect("\(try #require(try Self.refused(try Self.crafted(by: forger, to: lan), by: lan)))".contains("not signed by this laptop's hub"))
        // Expired: it syncs with the hub first.
        let (old, _) = try hub.laptop("Cũ", expires: -60)
        #expect(throws: PeerError.self) { try PeerExchange.hello(old, nonce: "n1") }
        #expect("\(try #require(try Self.refused(try Self.crafted(by: old, to: lan), by: lan)))".contains("expired"))
        // Revoked by the hub: Lan learnt it at its last sync.
        let (binh, binhDevice) = try hub.laptop("Bình")
        try lan.notePeerCredentials(try #require(try lan.peerCredentials()).certificate, revoked: [binhDevice])
        let (request, _, _) = try PeerExchange.request(binh, to: try PeerExchange.hello(lan, nonce: "n1"))
        #expect("\(try #require(try Self.refused(request, by: lan)))".contains("revoked"))
        #expect(throws: PeerError.self, "Lan does not sync with it either") { try PeerExchange.request(lan, to: try PeerExchange.hello(binh, nonce: "n2")) }
    }

    @Test func aLaptopOfAnotherCommuneAndVisitsOfAnotherCommuneAreRefused() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan"), (dung, _) = try hub.laptop("Dũng", commune: "00008")
        #expect(throws: PeerError.otherCommune("00004")) { try PeerExchange.request(dung, to: try PeerExchange.hello(lan, nonce: "n1")) }
        // A laptop of the commune slips in a visit of another commune: the whole request is refused.
        let (binh, _) = try hub.laptop("Bình")
        let smuggled = try binh.states(commune: "00004").map { state in
            var registers = Dictionary(uniqueKeysWithValues: state.fields.map { ($0.name, $0.register) })
            if let commune = registers[VisitField.commune.rawValue] {
                registers[VisitField.commune.rawValue] = Register(value: .text("00008"), stamp: commune.stamp, seq: commune.seq)
            }
            return RecordState(id: state.id, registers: registers, version: state.version)
        }
        #expect("\(try #require(try Self.refused(try Self.crafted(by: binh, to: lan, states: smuggled), by: lan)))".contains("another commune"))
    }

    @Test func aRequestSignedByAnotherLaptopThanItsCertificateNamesIsRefused() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan"), (binh, _) = try hub.laptop("Bình"), (cuc, _) = try hub.laptop("Cúc")
        // Cúc sends Bình's certificate (it travels in the clear in hellos) with a request it signed itself.
        let binhCertificate = try #require(try binh.peerCredentials()).certificate
        let request = try Self.crafted(by: cuc, to: lan, certificate: binhCertificate)
        #expect("\(try #require(try Self.refused(request, by: lan)))".contains("not signed by the key"))
        #expect(try Self.refused(try Self.crafted(by: binh, to: lan), by: lan) == nil, "the same request, signed by Bình, is taken")
    }

    @Test func anAnswerToAnotherRequestOrFromAnotherLaptopIsRefusedAndWritesNothing() throws {
        let hub = Hub()
        let (lan, _) = try hub.laptop("Lan"), (binh, _) = try hub.laptop("Bình"), (cuc, _) = try hub.laptop("Cúc")
        let before = try Self.ids(binh)
        let (request, peer, sent) = try PeerExchange.request(binh, to: try PeerExchange.hello(lan, nonce: "n1"))
        let (answer, _) = try PeerExchange.answer(request, into: lan) { $0 == "n1" }
        #expect(throws: PeerError.self) { try PeerExchange.finish(answer, from: peer, nonce: "n2", sent: sent, into: binh) }
        let cucClaims = try PeerExchange.Credentials(cuc, now: Date()).claims
        #expect(throws: (any Error).self) { try PeerExchange.finish(answer, from: cucClaims, nonce: "n1", sent: sent, into: binh) }
        #expect(try Self.ids(binh) == before)
        #expect(try PeerExchange.finish(answer, from: peer, nonce: "n1", sent: sent, into: binh).received == 2)
    }

    /// Hello nonces are checked without being stored: each works once, only before it expires, only if this run made it.
    @Test func helloNoncesWorkOnceBeforeTheyExpireAndCannotBeMadeUp() {
        let nonces = PeerNonces(lifetime: 120), now = Date()
        let issued = (0..<1_000).map { _ in nonces.issue(now: now) }
        #expect(Set(issued).count == 1_000)
        #expect(nonces.take(issued[0], now: now) && !nonces.take(issued[0], now: now), "used once")
        #expect(!nonces.take(issued[1], now: now.addingTimeInterval(121)), "expired")
        #expect(nonces.take(issued[2], now: now.addingTimeInterval(119)))
        var forged = Array(issued[3])
        forged[forged.count - 1] = forged[forged.count - 1] == "0" ? "1" : "0"
        #expect(!nonces.take(String(forged), now: now), "an altered MAC")
        let later = issued[4].split(separator: ".")
        #expect(!nonces.take("\(later[0]).\(Int64(now.timeIntervalSince1970) + 100_000).\(later[2])", now: now), "a later expiry")
        #expect(!PeerNonces().take(issued[5], now: now), "another run's")
        #expect(!nonces.take("check", now: now) && !nonces.take("", now: now))
    }
}
