import CitizenPseudonym
import Foundation
import Testing

/// The oblivious PRF round trip as laptops and the hub will use it (issue 15's groundwork).
@Suite struct CitizenPseudonymTests {
    let hub = CitizenPseudonym.HubKey()

    func pseudonym(_ digits: String, hub: CitizenPseudonym.HubKey) throws -> String {
        let pending = try CitizenPseudonym.blind(digits, hubPublicKey: hub.publicKey)
        return try CitizenPseudonym.finalize(pending, evaluation: try hub.evaluate(pending.request), hubPublicKey: hub.publicKey)
    }

    @Test func twoLaptopsGetTheSamePseudonymWithoutTheHubSeeingTheID() throws {
        let first = try CitizenPseudonym.blind("001203012345", hubPublicKey: hub.publicKey)
        let second = try CitizenPseudonym.blind("001203012345", hubPublicKey: hub.publicKey)
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
        let pending = try CitizenPseudonym.blind("079190123456", hubPublicKey: hub.publicKey)
        #expect(throws: PseudonymError.badEvaluation) {
            try CitizenPseudonym.finalize(pending, evaluation: try other.evaluate(pending.request), hubPublicKey: hub.publicKey)
        }
        #expect(throws: PseudonymError.malformedRequest) { try hub.evaluate(Data(repeating: 7, count: 49)) }
        #expect(throws: PseudonymError.malformedKey) { try CitizenPseudonym.blind("079190123456", hubPublicKey: Data([1, 2, 3])) }
        #expect(throws: PseudonymError.malformedKey) { try CitizenPseudonym.HubKey(rawRepresentation: Data(repeating: 0, count: 48)) }
        let reread = try CitizenPseudonym.HubKey(rawRepresentation: hub.rawRepresentation)
        #expect(reread.publicKey == hub.publicKey)
        #expect(try pseudonym("079190123456", hub: reread) == (try pseudonym("079190123456", hub: hub)))
    }
}
