import Crypto
import Foundation
import OfflineBundle
import SyncCore
import SyncProtocol
import Testing
import WireCompression

/// Sealing and signing of offline bundles (Protocol/README.md §9): what goes in comes out only for
/// the recipient, and any change to the file is refused.
@Suite struct OfflineBundleTests {
    let hub = BundleKeys(), laptop = BundleKeys()
    let body = Data(#"{"bundle":"b-1","device":"d-1","note":"Nguyễn Thị Lan"}"#.utf8)

    func sealed() throws -> Data {
        try OfflineBundle.seal(body, kind: .push, to: hub.agreement.publicKey, signedBy: laptop.signing, signer: "d-1")
    }

    @Test func theRecipientOpensWhatTheSenderSignedAndNoOneElseDoes() throws {
        let file = try sealed()
        #expect(file.range(of: Data("Lan".utf8)) == nil && file.range(of: Data("d-1".utf8)) == nil, "the file shows nothing")
        let opened = try OfflineBundle.open(file, kind: .push, with: hub.agreement)
        #expect(opened.signer == "d-1", "the signer is named outside the compressed body")
        #expect(try opened.body(signedBy: laptop.signing.publicKey, signer: "d-1") == body)
        #expect(throws: BundleError.forged(device: "d-2"), "another device's key") {
            try opened.body(signedBy: BundleKeys().signing.publicKey, signer: "d-2")
        }
        #expect(throws: BundleError.altered) { try OfflineBundle.open(file, kind: .push, with: BundleKeys().agreement) }
        #expect(throws: BundleError.wrongKind(expected: .answer, found: .push)) { try OfflineBundle.open(file, kind: .answer, with: hub.agreement) }
    }

    @Test func everyAlteredOrCutFileIsRefused() throws {
        let file = try sealed()
        let text = String(decoding: file, as: UTF8.self)
        let start = try #require(text.range(of: #""sealed":""#)).upperBound.utf16Offset(in: text)
        // Every 7th byte of the sealed part changed to another base64 letter.
        for index in stride(from: start, to: file.count - 2, by: 7) {
            // The last letter before base64 padding carries bits a decoder ignores (A and B differ only there).
            if file[index + 1] == UInt8(ascii: "=") { continue }
            var altered = file
            altered[index] = altered[index] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
            #expect(throws: BundleError.self, "byte \(index)") { try OfflineBundle.open(altered, kind: .push, with: hub.agreement) }
        }
        for cut in stride(from: 0, to: file.count, by: 11) {
            #expect(throws: BundleError.self, "cut at \(cut)") { try OfflineBundle.open(file.prefix(cut), kind: .push, with: hub.agreement) }
        }
        #expect(throws: BundleError.self) { try OfflineBundle.open(Data("{}".utf8), kind: .push, with: hub.agreement) }
    }

    /// Protocol/vectors/bundle.json: a bundle sealed and signed with the given keys opens, verifies and reads as given.
    @Test func theSpecVectorOpensVerifiesAndReads() throws {
        struct Vectors: Decodable {
            struct Case: Decodable {
                let hubPrivateKeys, laptopPublicKeys, file, body: String
                let signer: String?
            }
            let cases: [Case]
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Protocol/vectors/bundle.json")
        let vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        #expect(!vectors.cases.isEmpty)
        for vector in vectors.cases {
            let hub = try #require(BundleKeys(privateText: vector.hubPrivateKeys))
            let laptop = try #require(BundleKeys.publicKeys(vector.laptopPublicKeys))
            let opened = try OfflineBundle.open(Data(vector.file.utf8), kind: .push, with: hub.agreement)
            #expect(opened.signer == vector.signer, "format 3 names its signer; format 2 does not")
            #expect(String(decoding: try opened.body(signedBy: laptop.signing, signer: "laptop"), as: UTF8.self) == vector.body)
        }
    }

    /// A certificate is taken only when this laptop's hub signed it, for that hub, unexpired, for a device not revoked.
    @Test func certificatesAreCheckedForSignerHubExpiryAndRevocation() throws {
        let now = Date()
        func certificate(expires: Date = Date().addingTimeInterval(3_600), hubReplica: String = "00000000000000ff",
                         signedBy signer: BundleKeys? = nil) throws -> DeviceCertificate {
            try DeviceCertificate(DeviceCertificate.Claims(device: "d-1", commune: "00004", team: "T-01", keys: laptop.publicText,
                                                           hub: hubReplica, issued: "2026-12-01T00:00:00Z",
                                                           expires: ISO8601DateFormatter().string(from: expires)),
                                  signedBy: (signer ?? hub).signing)
        }
        let good = try certificate()
        #expect(try good.verified(by: hub.signing.publicKey, hubReplica: "00000000000000ff", revoked: [], now: now).device == "d-1")
        let refusals: [(DeviceCertificate, Set<String>, String)] = [
            (try certificate(signedBy: BundleKeys()), [], "not signed by this laptop's hub"),
            (try certificate(hubReplica: "00000000000000aa"), [], "another hub"),
            (try certificate(expires: now.addingTimeInterval(-1)), [], "expired"),
            (good, ["d-1"], "revoked"),
            (DeviceCertificate(body: good.body.replacingOccurrences(of: "00004", with: "00008"), signature: good.signature), [], "not signed"),
        ]
        for (candidate, revoked, why) in refusals {
            #expect(throws: PeerError.self, "\(why)") {
                try candidate.verified(by: hub.signing.publicKey, hubReplica: "00000000000000ff", revoked: revoked, now: now)
            }
            do {
                _ = try candidate.verified(by: hub.signing.publicKey, hubReplica: "00000000000000ff", revoked: revoked, now: now)
            } catch {
                #expect("\(error)".contains(why), "\(error)")
            }
        }
    }

    /// Bundle bodies written and read by the wire's fast writer and parser are those of the JSON encoder.
    @Test func bundleBodiesAreTheJSONEncodersBytesAndReadBack() throws {
        let replica = ReplicaID(rawValue: 0x51)
        let stamp = Stamp(millis: 1_764_900_000_000, counter: 2, replica: replica)
        let states = (0..<3).map { n in
            RecordState(id: "v-\(n)", registers: ["commune": Register(value: .text("00004"), stamp: stamp, seq: 1),
                                                  "note": Register(value: .text("gọi lại \"thứ Hai\""), stamp: stamp, seq: UInt64(n + 1))],
                        version: [replica: UInt64(n + 1)])
        }
        let push = PushBundle(bundle: "b-1", device: "d-1", created: "2026-12-05T10:00:00Z", expires: "2027-01-04T10:00:00Z", pullAfter: 7,
                              batches: [PushRequest(replica: replica, seq: 3, batch: "b-1-0", unsynced: 0, records: states, conflicts: nil,
                                                    pullAfter: nil, sync: "b-1")])
        #expect(push.encoded() == Array(try WireJSON.encoder.encode(push)))
        let back = try PushBundle(json: try JSONParser.parse(push.encoded()))
        #expect(back.batches.map(\.records) == [states] && back.pullAfter == 7 && back.device == "d-1" && back.expires == push.expires)
        var response = PushResponse(batch: "b-1-0", received: 3, fastForward: 3,
                                    rejected: [Rejection(id: "v-9", code: "invalid_record", message: "bad")], hubSeq: 12)
        response.revoked = ["d-2"]
        let answer = AnswerBundle(bundle: "b-1", device: "d-1", created: "2026-12-05T10:01:00Z", responses: [response],
                                  pages: [PullPage(records: states, cursor: 12, more: false)])
        #expect(answer.encoded() == Array(try WireJSON.encoder.encode(answer)))
        let read = try AnswerBundle.decode(answer.encoded())
        #expect(read.responses == [response] && read.pages == answer.pages && read.bundle == "b-1")
        #expect(throws: WireDecodingError.self) { try AnswerBundle.decode(Array(#"{"bundle":"b-1","device":"d-1"}"#.utf8)) }
        #expect(throws: WireDecodingError.self) {
            try PushBundle(json: try JSONParser.parse(Array(#"{"batches":[{}],"bundle":"b","created":"c","device":"d","expires":"e","pullAfter":0}"#.utf8)))
        }
    }

    @Test func keysRoundTripThroughTheirTextForms() throws {
        let copy = try #require(BundleKeys(privateText: laptop.privateText))
        #expect(copy.publicText == laptop.publicText)
        let publicKeys = try #require(BundleKeys.publicKeys(laptop.publicText))
        #expect(publicKeys.signing.rawRepresentation == laptop.signing.publicKey.rawRepresentation)
        for bad in ["", "ab.cd", laptop.publicText + "00", String(laptop.publicText.dropLast()), "zz" + laptop.publicText.dropFirst(2)] {
            #expect(BundleKeys.publicKeys(bad) == nil, "\(bad)")
        }
    }

    /// A bundle's signature is checked before its body is inflated: a forged one whose body would inflate without
    /// end is refused as forged, its body never read (here it is not even gzip); a format-2 body, read first to learn
    /// its signer, inflates only up to what a laptop holds.
    @Test func nothingIsInflatedBeforeTheSignatureChecks() throws {
        let forger = BundleKeys()
        // A hand-made format-3 file: a name, then bytes that are no gzip stream at all, signed by the forger.
        let name = Data("d-1".utf8)
        let signed = Data([0, 0, 0, UInt8(name.count)]) + name + Data(repeating: 0x55, count: 4_096)
        var sender = try HPKE.Sender(recipientKey: hub.agreement.publicKey, ciphersuite: .Curve25519_SHA256_ChachaPoly,
                                     info: Data("fieldsync-bundle/3 push".utf8))
        let sealed = try sender.seal(try forger.signing.signature(for: signed) + signed)
        let file = Data(#"{"enc":"\#(sender.encapsulatedKey.base64EncodedString())","format":"fieldsync-bundle/3","kind":"push","sealed":"\#(sealed.base64EncodedString())"}"#.utf8)
        let opened = try OfflineBundle.open(file, kind: .push, with: hub.agreement)
        #expect(throws: BundleError.forged(device: "d-1"), "refused for its signature, not for its body") {
            try opened.body(signedBy: laptop.signing.publicKey, signer: "d-1")
        }
        // A format-2 bomb: 40 MiB of zeros (40 KiB compressed) inflates no further than the legacy limit.
        let bomb = Data(try WireCompressionProbe.gzip(Data(count: 40 << 20)))
        var legacy = try HPKE.Sender(recipientKey: hub.agreement.publicKey, ciphersuite: .Curve25519_SHA256_ChachaPoly,
                                     info: Data("fieldsync-bundle/2 push".utf8))
        let legacySealed = try legacy.seal(try laptop.signing.signature(for: bomb) + bomb)
        let legacyFile = Data(#"{"enc":"\#(legacy.encapsulatedKey.base64EncodedString())","format":"fieldsync-bundle/2","kind":"push","sealed":"\#(legacySealed.base64EncodedString())"}"#.utf8)
        let old = try OfflineBundle.open(legacyFile, kind: .push, with: hub.agreement)
        #expect(old.signer == nil)
        #expect(throws: BundleError.notABundle("its body inflates beyond 32 MiB")) { try old.unverifiedBody() }
    }
}

/// Compresses for the tests above.
enum WireCompressionProbe {
    static func gzip(_ data: Data) throws -> [UInt8] { try WireCompression.gzip.compress(Array(data)) }
}
