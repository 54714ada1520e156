import Foundation
import SyncCore
import SyncProtocol
import Testing
@testable import HubCore
@testable import HubSQLite

/// Holds the hub's write-identity rule (Protocol/README.md §1) to `Protocol/vectors/restore.json`.
@Suite struct RestoreVectorTests {
    struct PushCase: Decodable {
        struct Remembered: Decodable {
            let replica: ReplicaID
            let seq: UInt64
            let record: String
            let stamp: Stamp
        }
        struct Push: Decodable {
            let replica: ReplicaID
            let records: [RecordState]
            let writes: [WriteRef]?
        }
        let description: String
        let remembered: [Remembered]?
        let push: Push?
        let expect: String?

        enum CodingKeys: String, CodingKey { case description, remembered, push, expect }
        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            description = try c.decode(String.self, forKey: .description)
            remembered = try c.decodeIfPresent([Remembered].self, forKey: .remembered)
            push = try c.decodeIfPresent(Push.self, forKey: .push)
            // A re-issue case expects an object (SyncCoreTests checks those).
            expect = push == nil ? nil : try c.decode(String.self, forKey: .expect)
        }
    }

    struct File: Decodable { let cases: [PushCase] }

    @Test func theHubRefusesExactlyThePushesThatReuseAWriteIdentity() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/vectors/restore.json")
        let cases = try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases.filter { $0.push != nil }
        #expect(cases.count >= 5)
        for item in cases {
            guard let push = item.push else { continue }
            var held: [UInt64: WriteRecord] = [:]
            for write in item.remembered ?? [] where write.replica == push.replica {
                held[write.seq] = WriteRecord(replica: write.replica, seq: write.seq, record: WriteRecord.key(write.record), stamp: write.stamp)
            }
            let refused = push.records.contains { WriteRecord.reuse(in: $0, by: push.replica, held: held) != nil }
                || (push.writes ?? []).contains { WriteRecord.reuse(of: $0, held: held) != nil }
            #expect((refused ? "refused" : "accepted") == item.expect, "\(item.description)")
        }
    }
}
