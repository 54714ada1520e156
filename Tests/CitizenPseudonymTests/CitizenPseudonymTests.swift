import CitizenPseudonym
import Foundation
import Testing

/// The oblivious PRF round trip as laptops and the hub use it, and RFC 9497's own vectors.
@Suite struct CitizenPseudonymTests {
    let hub = CitizenPseudonym.HubKey()

    func pseudonym(_ digits: String, hub: CitizenPseudonym.HubKey) throws -> String {
        let pending = try CitizenPseudonym.blind([digits])[0]
        return try CitizenPseudonym.finalize(pending, evaluation: try hub.evaluate(pending.request), hubPublicKey: hub.publicKey)
    }

    @Test func twoLaptopsGetTheSamePseudonymWithoutTheHubSeeingTheID() throws {
        let both = try CitizenPseudonym.blind(["001203012345", "001203012345"])
        let (first, second) = (both[0], both[1])
        #expect(first.request != second.request, "each blinding is fresh: the hub cannot link two requests")
        #expect(!first.request.contains(Data("001203012345".utf8)))
        let a = try CitizenPseudonym.finalize(first, evaluation: try hub.evaluate(first.request), hubPublicKey: hub.publicKey)
        let b = try CitizenPseudonym.finalize(second, evaluation: try hub.evaluate(second.request), hubPublicKey: hub.publicKey)
        #expect(a == b && a.count == 96)
        #expect(a == (try hub.pseudonym(of: "001203012345")), "the hub's direct evaluation agrees")
        #expect(a != (try pseudonym("001203012346", hub: hub)))
    }

    @Test func anotherKeysAnswerIsRefusedAndKeysComeBackFromTheirBytes() throws {
        let other = CitizenPseudonym.HubKey()
        let pending = try CitizenPseudonym.blind(["079190123456"])[0]
        #expect(throws: PseudonymError.badEvaluation) {
            try CitizenPseudonym.finalize(pending, evaluation: try other.evaluate(pending.request), hubPublicKey: hub.publicKey)
        }
        #expect(throws: PseudonymError.badEvaluation) {
            try CitizenPseudonym.finalize(pending, evaluation: try hub.evaluate(pending.request), hubPublicKey: Data([1, 2, 3]))
        }
        #expect(throws: PseudonymError.malformedRequest) { try hub.evaluate(Data(repeating: 7, count: 49)) }
        #expect(throws: PseudonymError.malformedKey) { try CitizenPseudonym.HubKey(rawRepresentation: Data(repeating: 0, count: 48)) }
        let reread = try CitizenPseudonym.HubKey(rawRepresentation: hub.rawRepresentation)
        #expect(reread.publicKey == hub.publicKey)
        #expect(try pseudonym("079190123456", hub: reread) == (try pseudonym("079190123456", hub: hub)))
    }

    struct Vectors: Decodable {
        struct Case: Decodable {
            var description: String
            var skSm: String
            var pkSm: String
            var input: String
            var blindedElement: String?
            var evaluationElement: String?
            var output: String
        }
        var cases: [Case]
    }

    /// Protocol/vectors/pseudonym.json: RFC 9497 Appendix A.3.2 (VOPRF, P384-SHA384) and a CCCD of ours.
    @Test func theKeyFollowsRFC9497AndOurVectors() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Protocol/vectors/pseudonym.json")
        let vectors = try JSONDecoder().decode(Vectors.self, from: Data(contentsOf: url))
        #expect(vectors.cases.count >= 3)
        for vector in vectors.cases {
            let raw = try #require(CitizenPseudonym.bytes(hex: vector.skSm))
            let key = try CitizenPseudonym.HubKey(rawRepresentation: raw)
            #expect(CitizenPseudonym.hex(key.publicKey) == vector.pkSm, "\(vector.description)")
            #expect(try key.output(for: try #require(CitizenPseudonym.bytes(hex: vector.input))) == vector.output, "\(vector.description)")
            if let blinded = vector.blindedElement, let evaluated = vector.evaluationElement {
                let answer = try key.evaluate(try #require(CitizenPseudonym.bytes(hex: blinded)))
                #expect(CitizenPseudonym.hex(answer.prefix(49)) == evaluated, "the evaluated element: \(vector.description)")
            }
        }
    }
}
