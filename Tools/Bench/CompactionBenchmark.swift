import FieldModel
import Foundation
import HubCore
import HubSQLite
import SQLiteKit
import SyncCore
import SyncProtocol

/// Issue 16: compacting a hub's deleted visits below the tombstone horizon.
enum CompactionBenchmark {
    static func run(visits: Int, deletedPercent: Int) async throws {
        let dir = NSTemporaryDirectory() + "fieldsync-compact-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/hub.sqlite"
        let now = Date(timeIntervalSince1970: 1_763_700_000)
        let merger = try HubService(path: path, clock: ManualClock(now))
        let work = try await HubBenchmark.batches(hub: merger, count: visits, devices: 100)
        for (device, request) in work { _ = try await merger.push(request, from: device) }
        // Every laptop deletes one visit in `100 / deletedPercent` of those it logged.
        var replicas: [ReplicaID: ReplicaState] = [:]
        for (_, request) in work { replicas[request.replica] = ReplicaState(id: request.replica, seq: max(request.seq, replicas[request.replica]?.seq ?? 0)) }
        let every = max(1, 100 / max(1, deletedPercent))
        var deleted = 0
        for (n, (device, request)) in work.enumerated() {
            guard var replica = replicas[request.replica] else { continue }
            let states = request.records.enumerated().filter { $0.offset % every == 0 }.map { offset, state in
                replica.write([RecordState.deletedField: .bool(true)], to: state, recordID: state.id,
                              now: 1_763_700_000_000 + UInt64(n * 1_000 + offset))
            }
            replicas[request.replica] = replica
            let answer = try await merger.push(PushRequest(replica: replica.id, seq: replica.seq, batch: "d\(n)", unsynced: 0, records: states,
                                                  conflicts: nil), from: device)
            deleted += answer.fastForward
        }
        let before = try used(path)
        let start = DispatchTime.now().uptimeNanoseconds
        // No laptop has synced for a day and the grace period is 0: every tombstone is below the horizon.
        let done = try await merger.compact(grace: 0, dryRun: false, now: Date().addingTimeInterval(86_400))
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let after = try used(path)
        print(String(format: "hub of %d visits, %d deleted: compacted %d tombstones in %.2f s (%.0f/s)",
                     visits, deleted, done.tombstones, seconds, Double(done.tombstones) / seconds))
        print(String(format: "store vacuumed: %.1f MiB before, %.1f MiB after (%.0f bytes less per deleted visit)",
                     Double(before) / 1_048_576, Double(after) / 1_048_576, Double(before - after) / Double(max(1, done.tombstones))))
    }

    /// The store's size once vacuumed into a copy (what its data takes; the file itself keeps its pages until VACUUM).
    static func used(_ path: String) throws -> Int {
        let copy = path + ".vacuumed-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: copy) }
        try Database(path: path).execute("VACUUM INTO '\(copy)'")
        return (try FileManager.default.attributesOfItem(atPath: copy)[.size] as? Int) ?? 0
    }
}
