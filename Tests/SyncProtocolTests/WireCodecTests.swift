import Foundation
import SyncCore
import Testing
@testable import SyncProtocol

/// The fast wire codec must write exactly what `JSONEncoder` writes and read what it reads.
@Suite struct WireCodecTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/merge.json")

    struct Cases: Decodable {
        struct Case: Decodable {
            struct Expect: Decodable { let merged: RecordState; let conflict: Conflict? }
            let incoming: RecordState
            let expect: Expect
        }
        let cases: [Case]
    }

    func states() throws -> (records: [RecordState], conflicts: [Conflict]) {
        let cases = try JSONDecoder().decode(Cases.self, from: Data(contentsOf: Self.vectors)).cases
        var records = cases.flatMap { [$0.incoming, $0.expect.merged] }
        let a = ReplicaID(rawValue: 0xaaaa_aaaa_aaaa_aaaa)
        records.append(RecordState(id: "tricky", registers: [
            "note": Register(value: .text("quote \" backslash \\ slash / newline \n tab \t bell \u{07} đ 😀"),
                             stamp: Stamp(millis: 1, counter: 2, replica: a)),
            "count": Register(value: .int(-42), stamp: Stamp(millis: 1, counter: 2, replica: a)),
            "cccd": Register(value: .object(["masked": .text("001******345"), "hash": .null]), stamp: Stamp(millis: 3, counter: 0, replica: a)),
        ], version: [a: 9_007_199_254_740_992]))
        return (records, cases.compactMap(\.expect.conflict))
    }

    @Test func pushBodiesAreByteIdenticalToJSONEncoderAndReadBack() throws {
        let (records, conflicts) = try states()
        for request in [
            PushRequest(replica: ReplicaID(rawValue: 7), seq: 12, batch: "b-1", unsynced: 3, records: records, conflicts: conflicts),
            PushRequest(replica: ReplicaID(rawValue: 7), seq: 0, batch: "empty", unsynced: nil, records: [], conflicts: nil),
        ] {
            let fast = request.encoded()
            let codable = Array(try WireJSON.encoder.encode(request))
            #expect(fast == codable, "fast:\n\(String(decoding: fast, as: UTF8.self))\ncodable:\n\(String(decoding: codable, as: UTF8.self))")
            let back = try PushRequest.decode(codable)
            #expect(back.records == request.records && back.conflicts == request.conflicts && back.seq == request.seq
                    && back.unsynced == request.unsynced && back.batch == request.batch && back.replica == request.replica)
        }
    }

    @Test func pullPagesAreByteIdenticalToJSONEncoderAndReadBack() throws {
        let (records, conflicts) = try states()
        for page in [PullPage(records: records, cursor: 99, more: true),
                     PullPage(records: records, cursor: 99, more: true, conflicts: conflicts),
                     PullPage(records: records, cursor: 99, more: true, forgotten: ["0193a1b2-0000-7000-8000-000000000001"]),
                     PullPage(records: records, cursor: 99, more: false, villages: ["Thôn Đông", "Tổ dân phố số 5"])] {
            let codable = Array(try WireJSON.encoder.encode(page))
            #expect(page.encoded() == codable)
            let back = try PullPage.decode(codable)
            #expect(back.records == page.records && back.cursor == 99 && back.more == page.more && back.conflicts == page.conflicts
                    && back.forgotten == page.forgotten && back.villages == page.villages)
        }
    }

    @Test(arguments: ["{\"cursor\":1,\"more\":false,\"records\":[],\"forgotten\":[1]}",
                      "{\"cursor\":1,\"more\":false,\"records\":[],\"forgotten\":\"x\"}",
                      "{\"cursor\":1,\"more\":false,\"records\":[],\"forgotten\":[\"\"]}",
                      "{\"cursor\":1,\"more\":false,\"records\":[],\"villages\":[\"\"]}",
                      "{\"cursor\":1,\"more\":false,\"records\":[],\"villages\":\"Thôn Đông\"}",
                      "{\"cursor\":1,\"more\":false,\"records\":[],\"villages\":[\"\(String(repeating: "x", count: 481))\"]}"])
    func aMalformedForgottenOrVillagesListIsRefused(body: String) {
        #expect(throws: WireDecodingError.self) { try PullPage.decode(Array(body.utf8)) }
    }

    @Test func everyTruncationIsAMalformedBodyNeverACrash() throws {
        let body = PushRequest(replica: ReplicaID(rawValue: 7), seq: 1, batch: "b", unsynced: 0,
                               records: Array(try states().records.prefix(2)), conflicts: nil).encoded()
        for cut in 0..<body.count {
            #expect(throws: WireDecodingError.self) { try PushRequest.decode(Array(body.prefix(cut))) }
        }
    }

    @Test(arguments: [
        ("{\"a\":1,}", "trailing comma"), ("[1 2]", "missing comma"), ("{'a':1}", "single quotes"),
        ("\"\\ud800\"", "lone surrogate"), ("\"a\u{01}b\"", "control character"), ("01", "leading zero"),
        ("nul", "bad literal"), ("{\"a\":1} x", "trailing text"), ("\"\\x\"", "bad escape"), ("", "empty"),
    ])
    func rejectsMalformedJSON(text: String, why: String) {
        #expect(throws: WireDecodingError.self, "\(why)") { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(throws: WireDecodingError.self) { try JSONParser.parse([0x22, 0xC3, 0x28, 0x22]) }
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(throws: WireDecodingError.self) { try JSONParser.parse(Array(deep.utf8)) }
        let ok = String(repeating: "[", count: 10) + String(repeating: "]", count: 10)
        #expect((try? JSONParser.parse(Array(ok.utf8))) != nil)
    }

    @Test func parsesEscapesAndNumbers() throws {
        let value = try JSONParser.parse(Array(#"{"s":"a\"b\\c\/d\n\u00e9\ud83d\ude00","i":-12,"d":1.5e3,"t":true,"n":null}"#.utf8))
        #expect(value["s"] == .string("a\"b\\c/d\né😀"))
        #expect(value["i"] == .int(-12) && value["d"] == .double(1500) && value["t"] == .bool(true) && value["n"] == .null)
    }

    @Test(arguments: [
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1.5}"#,
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":-1}"#,
        #"{"batch":"b","records":{},"replica":"0000000000000007","seq":1}"#,
        #"{"batch":"b","records":[],"replica":"7","seq":1}"#,
        #"{"batch":"b","records":[{"id":"r","version":{"0000000000000007":0},"fields":{}}],"replica":"0000000000000007","seq":1}"#,
        #"{"batch":"b","records":[{"id":"r","version":{},"fields":{"a":{"value":[1],"stamp":"000000000001-00000000-0000000000000007"}}}],"replica":"0000000000000007","seq":1}"#,
        #"{"batch":"b","records":[{"id":"r","version":{},"fields":{"a":{"value":1}}}],"replica":"0000000000000007","seq":1}"#,
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1,"conflicts":[{"id":{},"record":"0","fields":[],"storedVersion":{},"incomingVersion":{},"detectedBy":"0000000000000007"}]}"#,
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1,"conflicts":[{"id":null,"record":"0","fields":[],"storedVersion":{},"incomingVersion":{},"detectedBy":"0000000000000007"}]}"#,
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1,"conflicts":[{"record":"0","fields":[],"storedVersion":{},"incomingVersion":{},"detectedBy":"0000000000000007"}]}"#,
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1,"conflicts":[{"id":"x","record":"0","fields":[],"storedVersion":{},"incomingVersion":{},"detectedBy":"0000000000000007"}]}"#,
    ])
    func rejectsWronglyShapedPushes(json: String) {
        #expect(throws: WireDecodingError.self) { try PushRequest.decode(Array(json.utf8)) }
    }
}
