import FieldSyncTesting
import Foundation
import SyncCore
import Testing
@testable import SyncProtocol

/// The compact form (Protocol/README.md §6.3): the spec's vectors, round trips of whole bodies, and
/// hostile forms refused.
@Suite struct CompactStatesTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/vectors/compact.json")

    @Test func theVectorsEncodeAndDecodeExactly() throws {
        let file = try JSONParser.parse(Array(try Data(contentsOf: Self.vectors)))
        guard case .array(let cases)? = file["cases"] else { Issue.record("no cases"); return }
        #expect(cases.count >= 10)
        for item in cases {
            let name = item["description"].map { "\($0)" } ?? "?"
            guard let form = item["compact"] else { Issue.record("\(name): no compact form"); continue }
            if item["valid"] == .bool(false) {
                #expect(throws: WireDecodingError.self, "\(name)") { try CompactStates.read(form, limit: 500, path: ".states") }
                continue
            }
            guard case .array(let plain)? = item["states"] else { Issue.record("\(name): no states"); continue }
            let states = try plain.map { try RecordState(json: $0) }
            #expect(try CompactStates.read(form, limit: 500, path: ".states") == states, "\(name)")
            var out = JSONWriter()
            CompactStates.write(states, to: &out)
            #expect(try JSONParser.parse(out.bytes) == form, "\(name): \(String(decoding: out.bytes, as: UTF8.self))")
        }
    }

    /// Random states of several replicas, writes and values: the compact body reads back as the JSON one.
    @Test(arguments: 1...20 as ClosedRange<UInt64>)
    func randomBodiesRoundTrip(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        let replicas = (0..<Int.random(in: 1...5, using: &random)).map { _ in ReplicaID(rawValue: UInt64.random(in: 1...UInt64.max, using: &random)) }
        let names = ["service", "outcome", "commune", "name", "note", "cccd", "deleted", "erased", "x_1"]
        let texts = ["00004", "done", "", "Nguyễn Thị Lan", "quote \" \\ \n", "ab", "đã xoá"]
        func value() -> FieldValue {
            switch Int.random(in: 0..<6, using: &random) {
            case 0: .null
            case 1: .bool(Bool.random(using: &random))
            case 2: .int(Int64.random(in: -1_000...Int64(1) << 53, using: &random))
            case 3: .object(["masked": .text(texts.randomElement(using: &random) ?? ""), "hash": .null, "at": .int(3)])
            default: .text(texts.randomElement(using: &random) ?? "")
            }
        }
        let states = (0..<Int.random(in: 0...40, using: &random)).map { n in
            var registers: [String: Register] = [:]
            var version = VersionVector()
            for name in names where Bool.random(using: &random) {
                let replica = replicas.randomElement(using: &random) ?? replicas[0]
                let seq = UInt64.random(in: 0...3, using: &random)
                registers[name] = Register(value: value(), stamp: Stamp(millis: UInt64.random(in: 1_700_000_000_000...1_700_000_000_900, using: &random),
                                                                        counter: UInt32.random(in: 0...2, using: &random), replica: replica), seq: seq)
                version[replica] = max(version[replica], max(seq, 1))
            }
            return RecordState(id: "r-\(n)", registers: registers, version: version)
        }
        let request = PushRequest(replica: replicas[0], seq: 9, batch: "b", unsynced: 0, records: states, conflicts: nil, pullAfter: 4)
        let compact = request.encoded(compact: true)
        #expect(try PushRequest.decode(compact).records == states)
        #expect(try PushRequest.decode(request.encoded()).records == states)
        let page = PullPage(records: states, cursor: 12, more: true, forgotten: ["gone"])
        let back = try PullPage.decode(page.encoded(compact: true))
        #expect(back == page)
        if !states.isEmpty { #expect(compact.count < request.encoded().count) }
    }

    /// A state of another kind names it in both forms (§4, §6.3, §12); a visit's names none, so earlier bodies read the same.
    @Test func statesNameTheirKindInBothForms() throws {
        let a = ReplicaID(rawValue: 0xaaaa)
        func state(_ id: String, _ kind: String) -> RecordState {
            RecordState(id: id, kind: kind, registers: ["attendees": Register(value: .int(32), stamp: Stamp(millis: 5, counter: 0, replica: a), seq: 1)],
                        version: [a: 1])
        }
        let states = [state("v-1", "visit"), state("s-1", "session"), state("h-1", "household"), state("s-2", "session")]
        let request = PushRequest(replica: a, seq: 1, batch: "b", unsynced: 0, records: states, conflicts: nil)
        for body in [request.encoded(), request.encoded(compact: true)] {
            #expect(try PushRequest.decode(body).records.map(\.kind) == ["visit", "session", "household", "session"])
        }
        let plain = String(decoding: request.encoded(), as: UTF8.self)
        #expect(plain.contains(#""id":"s-1","kind":"session""#) && !plain.contains(#""id":"v-1","kind""#))
        #expect(String(decoding: request.encoded(compact: true), as: UTF8.self).contains(#""kinds":{"household":[2],"session":[1,3]}"#))
        let visitsOnly = PushRequest(replica: a, seq: 1, batch: "b", unsynced: 0, records: [states[0]], conflicts: nil)
        #expect(!String(decoding: visitsOnly.encoded(compact: true), as: UTF8.self).contains("kinds"))

        let compact = String(decoding: request.encoded(compact: true), as: UTF8.self)
        for (name, bad) in [("an index past the records", compact.replacingOccurrences(of: "[1,3]", with: "[1,9]")),
                            ("a record named twice", compact.replacingOccurrences(of: "[1,3]", with: "[1,1]")),
                            ("the visit named as a kind", compact.replacingOccurrences(of: "\"household\"", with: "\"visit\"")),
                            ("a kind name out of pattern", compact.replacingOccurrences(of: "\"household\"", with: "\"House\"")),
                            ("a JSON kind out of pattern", plain.replacingOccurrences(of: #""kind":"session""#, with: #""kind":"Session!""#))] {
            #expect(throws: WireDecodingError.self, "\(name)") { try PushRequest.decode(Array(bad.utf8)) }
        }
    }

    @Test func pushAnswersAreByteIdenticalToJSONEncoderAndCarryACompactPage() throws {
        let a = ReplicaID(rawValue: 0xaaaa)
        let state = RecordState(id: "v-1", registers: ["note": Register(value: .text("đ"), stamp: Stamp(millis: 5, counter: 0, replica: a), seq: 1)],
                                version: [a: 1])
        var full = PushResponse(batch: "b-1", received: 3, alreadyKnown: 1, fastForward: 2, conflicts: 1,
                                rejected: [Rejection(id: "x", code: "invalid_record", message: "tên \"trống\"")], hubSeq: 77)
        full.merged = 4
        full.editVsDelete = 5
        full.rejectedConflicts = [Rejection(id: "c", code: "out_of_scope", message: "m")]
        full.hubIncarnation = "inc-1"
        full.pseudonymKeyVersion = 2
        full.forgotten = ["gone"]
        full.pull = PullPage(records: [state], cursor: 80, more: false)
        full.certificate = DeviceCertificate(body: #"{"device":"d-1"}"#, signature: "c2ln")
        full.revoked = ["d-2", "d-3"]
        for response in [PushResponse(batch: "empty"), full] {
            #expect(response.encoded() == Array(try WireJSON.encoder.encode(response)))
            #expect(try PushResponse.decode(response.encoded()) == response)
            #expect(try PushResponse.decode(response.encoded(compact: true)) == response)
        }
        let compact = try JSONParser.parse(full.encoded(compact: true))
        #expect(compact["pull"]?["states"] != nil && compact["pull"]?["records"] == nil)
    }

    @Test(arguments: [
        // both forms at once
        #"{"batch":"b","records":[],"replica":"0000000000000007","seq":1,"states":{"base":0,"fields":[],"records":[],"replicas":[]}}"#,
        // tables of the wrong type, a missing base, a negative offset, a counter beyond 32 bits
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":0,"fields":"note","records":[],"replicas":[]}}"#,
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"fields":[],"records":[],"replicas":[]}}"#,
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":9,"fields":["note"],"records":[["v",[0,1],[-10,0,0,1,0,"x"]]],"replicas":["0000000000000007"]}}"#,
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":9,"fields":["note"],"records":[["v",[0,1],[0,4294967296,0,1,0,"x"]]],"replicas":["0000000000000007"]}}"#,
        // a replica id of zeros, an empty record id
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":0,"fields":[],"records":[],"replicas":["0000000000000000"]}}"#,
        #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":0,"fields":[],"records":[["",[]]],"replicas":[]}}"#,
    ])
    func hostileCompactPushesAreRefused(json: String) {
        #expect(throws: WireDecodingError.self) { try PushRequest.decode(Array(json.utf8)) }
    }

    @Test func aPushOfMoreStatesThanABatchIsRefusedInTheCompactFormToo() {
        let records = (0...WireLimits.maxPushRecords).map { #"["v\#($0)",[]]"# }.joined(separator: ",")
        let body = #"{"batch":"b","replica":"0000000000000007","seq":1,"states":{"base":0,"fields":[],"records":[\#(records)],"replicas":[]}}"#
        #expect(throws: WireDecodingError.self) { try PushRequest.decode(Array(body.utf8)) }
    }

    /// A body with more repeated strings than the table holds (a LAN exchange of a whole commune, §9.1)
    /// still reads back: the strings beyond the table's 65,536 are written in place.
    @Test func moreRepeatedStringsThanTheTableHoldsAreWrittenInPlace() throws {
        let replica = ReplicaID(rawValue: 7)
        let stamp = Stamp(millis: 1_700_000_000_000, counter: 0, replica: replica)
        let states = (0..<(2 * CompactStates.maxStrings + 20)).map { n in
            RecordState(id: "v\(n)", registers: ["note": Register(value: .text("ghi chú \(n / 2)"), stamp: stamp, seq: 1)],
                        version: [replica: 1])
        }
        var out = JSONWriter()
        CompactStates.write(states, to: &out)
        let json = try JSONParser.parse(out.bytes)
        guard case .array(let strings)? = json["strings"] else { Issue.record("no string table"); return }
        #expect(strings.count == CompactStates.maxStrings)
        #expect(try CompactStates.read(json, limit: states.count, path: ".states") == states)
    }

    @Test func acceptHeadersAreReadAsHTTPSaysTheyAre() {
        #expect(CompactStates.isAccepted("application/vnd.fieldsync.compact+json, application/json;q=0.9"))
        #expect(CompactStates.isAccepted("Application/Vnd.FieldSync.Compact+JSON"))
        #expect(!CompactStates.isAccepted("application/json"))
        #expect(!CompactStates.isAccepted(nil))
        #expect(!CompactStates.isAccepted("*/*"))
    }

    /// A small body whose records reference one big table string from many fields stands for far more than the
    /// body's limit: refused as it is read, before anything is written out from it.
    @Test func aSmallBodyStandingForAHugeOneIsRefused() throws {
        let big = String(repeating: "x", count: 60_000)
        let fields = (0..<12).map { "f\($0)" }
        let write = "[0,0,0,1," + fields.indices.map { "\($0),[0]" }.joined(separator: ",") + "]"
        let records = (0..<200).map { #"["r\#($0)",[0,1],\#(write)]"# }.joined(separator: ",")
        let body = #"{"base":1764900000000,"fields":[\#(fields.map { "\"\($0)\"" }.joined(separator: ","))],"replicas":["9f3a2b1c4d5e6f70"],"strings":["\#(big)"],"records":[\#(records)]}"#
        #expect(body.utf8.count < 200_000, "the body is small")
        do {
            _ = try CompactStates.read(try JSONParser.parse(Array(body.utf8)), limit: 500, path: ".states")
            Issue.record("a body standing for 144 MB was read")
        } catch {
            #expect(error.description.contains("more than 4 MiB"), "\(error)")
        }
        // The same strings referenced within the limit read as before.
        let small = #"{"base":1764900000000,"fields":["f0"],"replicas":["9f3a2b1c4d5e6f70"],"strings":["\#(big)"],"records":[["r",[0,1],[0,0,0,1,0,[0]]]]}"#
        #expect(try CompactStates.read(try JSONParser.parse(Array(small.utf8)), limit: 500, path: ".states").first?["f0"]?.value == .text(big))
    }
}
