import FieldModel
import Foundation
import HubCore
import HubSQLite
import SyncCore
import SyncProtocol
import Testing

/// The tombstone horizon (Protocol/README.md §7.2) against the spec's vectors, and the pull page that
/// interleaves states and compacted ids.
@Suite struct TombstoneHorizonTests {
    struct Case: Decodable {
        struct DeviceLine: Decodable {
            let device, role, lastSeen: String
            let revoked, pulls: Bool
            let pulledThrough: UInt64
        }
        struct Expect: Decodable, Equatable {
            let horizon: UInt64
            let heldBy, excluded: [String]
        }
        let description, now: String
        let graceSeconds, hubSeq: UInt64
        let devices: [DeviceLine]
        let expect: Expect
    }

    struct File: Decodable { let cases: [Case] }

    @Test func theHubFollowsEveryHorizonVector() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/vectors/horizon.json")
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: url))
        #expect(file.cases.count >= 8)
        for vector in file.cases {
            let devices = try vector.devices.map { line in
                TombstoneHorizon.Checkpoint(
                    device: line.device, role: try #require(Role(rawValue: line.role)), revoked: line.revoked,
                    lastSeen: try #require(ISODate.parseCanonical(line.lastSeen)), pulledThrough: line.pulledThrough, pulls: line.pulls)
            }
            let horizon = TombstoneHorizon(devices: devices, hubSeq: vector.hubSeq, grace: TimeInterval(vector.graceSeconds),
                                           now: try #require(ISODate.parseCanonical(vector.now)))
            #expect(Case.Expect(horizon: horizon.horizon, heldBy: horizon.heldBy, excluded: horizon.excluded) == vector.expect,
                    "\(vector.description)")
        }
    }

    static func state(_ id: String) -> RecordState {
        RecordState(id: id, registers: [:], version: VersionVector())
    }

    @Test func aPageInterleavesStatesAndCompactedIdsInChangeOrder() {
        let records = [(Self.state("a"), UInt64(3)), (Self.state("b"), 7), (Self.state("c"), 9)]
        let forgotten = [("x", UInt64(5)), ("y", 8)]
        let first = PullPage.Changes(records: records, forgotten: forgotten, limit: 3)
        #expect(first.records.map(\.id) == ["a", "b"] && first.forgotten == ["x"] && first.cursor == 7 && first.more)
        let whole = PullPage.Changes(records: records, forgotten: forgotten, limit: 5)
        #expect(whole.records.map(\.id) == ["a", "b", "c"] && whole.forgotten == ["x", "y"] && whole.cursor == 9 && !whole.more)
        let onlyForgotten = PullPage.Changes(records: [], forgotten: forgotten, limit: 1)
        #expect(onlyForgotten.forgotten == ["x"] && onlyForgotten.cursor == 5 && onlyForgotten.more)
        let empty = PullPage.Changes(records: [], forgotten: [], limit: 10)
        #expect(empty.cursor == nil && !empty.more)
    }

    @Test func aReducedTombstoneKeepsOnlyItsDeletionErasureAndVector() async throws {
        let replica = try #require(ReplicaID("9f3a2b1c4d5e6f70"))
        var clock = ReplicaState(id: replica)
        let state = clock.write(["name": .text("Trần Văn Bình"), "deleted": .bool(true), "erased": .bool(true), "note": .text("x")],
                                to: nil, recordID: "r", now: 1_000)
        let reduced = Compaction.reduced(state)
        #expect(reduced.fields.map(\.name) == ["deleted", "erased"] && reduced.version == state.version && reduced.isDeleted)
        let stored = Compaction.encode(reduced)
        #expect(try Compaction.decode(stored, id: "r") == reduced && stored.count < 64, "\(stored.count) bytes")
    }
}
