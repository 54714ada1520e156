import Foundation
import SyncCore
import Testing

/// Holds SyncCore to every file in Protocol/vectors/ (the spec's test vectors).
@Suite struct ProtocolVectorTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Protocol/vectors")

    struct VectorFile: Decodable {
        let kind: String
        let description: String
    }

    struct VectorCases<Case: Decodable>: Decodable {
        let cases: [Case]
    }

    struct VectorCase: Decodable {
        let description: String
        let a: VersionVector
        let b: VersionVector
        let order: String
        let merged: VersionVector
    }

    struct ClockState: Decodable, Equatable {
        let millis: UInt64
        let counter: UInt32
    }

    struct ClockCase: Decodable {
        struct Step: Decodable {
            let op: String
            let now: UInt64
            let stamp: Stamp?
            let maxDriftMillis: UInt64?
            let expectStamp: Stamp?
            let expectClock: ClockState?
            let expectError: String?
        }
        let description: String
        let replica: ReplicaID
        let clock: ClockState
        let steps: [Step]
    }

    struct MergeCase: Decodable {
        struct Expect: Decodable {
            let merged: RecordState
            let classification: Classification
            let conflict: Conflict?
        }
        let description: String
        let stored: RecordState?
        let incoming: RecordState
        let detectedBy: ReplicaID
        let groups: [[String]]?
        let expect: Expect
    }

    struct ConflictIDCase: Decodable {
        let description: String
        let record: String
        struct Field: Decodable {
            let field: String
            let stored: Register?
            let incoming: Register?
        }
        let kind: Conflict.Kind
        let fields: [Field]
        let id: String
    }

    static func files() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    @Test func everyVectorFileIsOfAKnownKindAndChecked() throws {
        let files = try Self.files()
        #expect(files.count >= 4)
        var kinds: Set<String> = []
        for file in files {
            let data = try Data(contentsOf: file)
            let kind = try JSONDecoder().decode(VectorFile.self, from: data).kind
            kinds.insert(kind)
            switch kind {
            case "version-vector": try checkVersionVectors(data)
            case "hlc": try checkClocks(data)
            case "merge": try checkMerges(data)
            case "conflict-id": try checkConflictIDs(data)
            case "pseudonym": break  // checked by CitizenPseudonymTests against the hub key's implementation
            case "horizon": break  // checked by HubStoreTests.TombstoneHorizonTests against the hub's rule
            case "compact": break  // checked by SyncProtocolTests.CompactStatesTests against the wire codec
            case "bundle": break  // checked by OfflineBundleTests against the bundle sealing
            case "restore": try checkReissues(data)  // the hub's reuse rule: HubStoreTests.RestoreVectorTests
            case "kind-evolution": break  // checked by RecordKindsTests against KindEvolution
            default: Issue.record("\(file.lastPathComponent): unknown kind \(kind)")
            }
        }
        #expect(kinds == ["version-vector", "hlc", "merge", "conflict-id", "pseudonym", "horizon", "compact", "bundle", "restore",
                          "kind-evolution"])
    }

    struct ReissueCase: Decodable {
        struct Plan: Decodable {
            let state: RecordState
            let retired: ReplicaID
            let acknowledged: UInt64
            let held: [UInt64]?
            let groups: [[String]]?
        }
        struct Expect: Decodable {
            let changes: [String: FieldValue]
            let version: UInt64
        }
        let description: String
        let reissue: Plan?
        let expect: Expect?

        enum CodingKeys: String, CodingKey { case description, reissue, expect }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            description = try c.decode(String.self, forKey: .description)
            reissue = try c.decodeIfPresent(Plan.self, forKey: .reissue)
            // A push case expects "accepted" or "refused" (HubStoreTests checks those).
            expect = reissue == nil ? nil : try c.decode(Expect.self, forKey: .expect)
        }
    }

    /// §1.1: what a restored store writes again, and the vector entry it keeps for its retired id.
    func checkReissues(_ data: Data) throws {
        let cases = try JSONDecoder().decode(VectorCases<ReissueCase>.self, from: data).cases
        #expect(cases.contains { $0.reissue != nil })
        for item in cases {
            guard let plan = item.reissue, let expect = item.expect else { continue }
            let reissue = Reissue(plan.state, retired: plan.retired, acknowledged: plan.acknowledged, held: plan.held.map(Set.init),
                                  groups: plan.groups ?? [])
            #expect(reissue.changes == expect.changes, "\(item.description)")
            #expect(reissue.base.version[plan.retired] == expect.version, "\(item.description)")
        }
    }

    func checkVersionVectors(_ data: Data) throws {
        for c in try JSONDecoder().decode(VectorCases<VectorCase>.self, from: data).cases {
            #expect(c.a.compare(c.b).rawValue == c.order, "\(c.description)")
            #expect(c.a.merged(with: c.b) == c.merged, "\(c.description)")
            #expect(c.b.merged(with: c.a) == c.merged, "\(c.description)")
        }
    }

    func checkClocks(_ data: Data) throws {
        for c in try JSONDecoder().decode(VectorCases<ClockCase>.self, from: data).cases {
            var clock = HybridClock(replica: c.replica, millis: c.clock.millis, counter: c.clock.counter)
            for (n, step) in c.steps.enumerated() {
                let label = "\(c.description), step \(n)"
                switch step.op {
                case "tick":
                    let stamp = clock.tick(now: step.now)
                    if let expected = step.expectStamp { #expect(stamp == expected, "\(label)") }
                case "receive":
                    let stamp = try #require(step.stamp, "\(label)")
                    do {
                        try clock.receive(stamp, now: step.now, maxDrift: step.maxDriftMillis)
                        #expect(step.expectError == nil, "\(label): expected \(step.expectError ?? "")")
                    } catch {
                        #expect(step.expectError == "clock_ahead", "\(label): unexpected \(error)")
                    }
                default:
                    Issue.record("\(label): unknown op \(step.op)")
                }
                if let expected = step.expectClock {
                    #expect(ClockState(millis: clock.millis, counter: clock.counter) == expected, "\(label)")
                }
            }
        }
    }

    func checkMerges(_ data: Data) throws {
        for c in try JSONDecoder().decode(VectorCases<MergeCase>.self, from: data).cases {
            let outcome = Merge.receive(c.incoming, into: c.stored, detectedBy: c.detectedBy, groups: c.groups ?? [])
            #expect(outcome.merged == c.expect.merged, "\(c.description)")
            #expect(outcome.classification == c.expect.classification, "\(c.description)")
            #expect(outcome.conflict == c.expect.conflict, "\(c.description)")
            if let stored = c.stored {
                #expect(c.incoming.merged(with: stored) == outcome.merged, "\(c.description): not commutative")
            }
        }
    }

    func checkConflictIDs(_ data: Data) throws {
        for c in try JSONDecoder().decode(VectorCases<ConflictIDCase>.self, from: data).cases {
            #expect(Conflict.id(kind: c.kind, record: c.record, fields: c.fields.map {
                Conflict.FieldDifference(field: $0.field, stored: $0.stored, incoming: $0.incoming, winner: .stored)
            }) == c.id, "\(c.description)")
        }
    }

    @Test func statesRoundTripThroughTheirJSON() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("merge.json"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for c in try JSONDecoder().decode(VectorCases<MergeCase>.self, from: data).cases {
            let again = try JSONDecoder().decode(RecordState.self, from: try encoder.encode(c.expect.merged))
            #expect(again == c.expect.merged)
            if let conflict = c.expect.conflict {
                #expect(try JSONDecoder().decode(Conflict.self, from: try encoder.encode(conflict)) == conflict)
            }
        }
    }

    @Test(arguments: [
        #"{"id":"r","version":{"AAAAAAAAAAAAAAAA":1},"fields":{}}"#,  // upper-case replica id
        #"{"id":"r","version":{"aaaaaaaaaaaaaaaa":0},"fields":{}}"#,  // zero seq
        #"{"id":"r","version":{"aaaaaaaaaaaaaaaa":-1},"fields":{}}"#,
        #"{"id":"r","version":{},"fields":{"a":{"value":1,"stamp":"nope"}}}"#,
        #"{"id":"r","version":{},"fields":{"a":{"value":[1,2],"stamp":"019aa0000000-00000000-aaaaaaaaaaaaaaaa"}}}"#,
        #"{"id":"r","version":{},"fields":{"a":{"value":1.5,"stamp":"019aa0000000-00000000-aaaaaaaaaaaaaaaa"}}}"#,
        #"{"id":"","version":{},"fields":{}}"#,
        #"{"version":{},"fields":{}}"#,
        #"{"id":"r","version":{},"fields":{"a":{"value":1}}}"#,
        #"{"id":"r","version":{},"fields":"#,
    ])
    func rejectsMalformedStates(json: String) {
        #expect(throws: (any Error).self) { try JSONDecoder().decode(RecordState.self, from: Data(json.utf8)) }
    }

    @Test func aConflictWhoseIDDoesNotMatchIsRejected() throws {
        let data = try Data(contentsOf: Self.directory.appendingPathComponent("merge.json"))
        let conflict = try #require(try JSONDecoder().decode(VectorCases<MergeCase>.self, from: data).cases
            .compactMap(\.expect.conflict).first)
        var object = try #require(try JSONSerialization.jsonObject(with: try JSONEncoder().encode(conflict)) as? [String: Any])
        object["id"] = String(repeating: "0", count: 32)
        let forged = try JSONSerialization.data(withJSONObject: object)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(Conflict.self, from: forged) }
    }
}
