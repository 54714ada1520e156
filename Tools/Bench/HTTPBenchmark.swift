import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import Foundation
import SyncProtocol

/// Push and pull through the real `fieldsync-server` (release build beside this tool) and the real client.
enum HTTPBenchmark {
    static func run(visits: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-http-bench")
        let bin = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path
        setenv("FIELDSYNC_BIN_DIR", bin, 1)
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try FieldStore.create(at: dir.file("a.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004")
        let b = try FieldStore.create(at: dir.file("b.sqlite"), volunteer: "Bình", team: "T-01", commune: "00004")
        let client = SyncClient()
        _ = try await client.enroll(a, server: hub.url, code: try hub.enrollmentCode(commune: "00004"))
        _ = try await client.enroll(b, server: hub.url, code: try hub.enrollmentCode(commune: "00004"))
        let id = try CitizenID(validating: "001203012345")
        for chunk in stride(from: 0, to: visits, by: 10_000) {
            _ = try a.log((chunk..<min(visits, chunk + 10_000)).map { i in
                VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Nguyễn Văn \(i)", citizenID: i % 2 == 0 ? id : nil,
                           phone: i % 3 == 0 ? try? PhoneNumber(validating: "0971234567") : nil, note: i % 4 == 0 ? "ghi chú \(i)" : "")
            })
        }
        // Bytes per change: one full batch as the client sends it.
        let sample = try a.pendingPush()
        let body = try WireJSON.encoder.encode(PushRequest(replica: a.profile.replicaID, seq: sample.seq, batch: sample.batch,
                                                           unsynced: sample.remaining, records: sample.states, conflicts: nil))
        var pushed = SyncSummary(), pulled = SyncSummary()
        let pushStart = DispatchTime.now().uptimeNanoseconds
        try await client.push(a, into: &pushed)
        let pushSeconds = Double(DispatchTime.now().uptimeNanoseconds - pushStart) / 1e9
        let pullStart = DispatchTime.now().uptimeNanoseconds
        try await client.pull(b, into: &pulled)
        let pullSeconds = Double(DispatchTime.now().uptimeNanoseconds - pullStart) / 1e9
        print(String(format: "push over loopback HTTP (the push phase of fieldsync sync: %d batches of 500, real client and fieldsync-server): %d changes in %.2f s, %.0f changes/s",
                     pushed.batches, pushed.pushed, pushSeconds, Double(pushed.pushed) / pushSeconds))
        print(String(format: "pull over loopback HTTP (%d pages of 500, merged into an empty laptop store): %d changes in %.2f s, %.0f changes/s",
                     pulled.pages, pulled.pulled, pullSeconds, Double(pulled.pulled) / pullSeconds))
        print(String(format: "bytes on the wire per visit change (push body, JSON, uncompressed): %.0f", Double(body.count) / Double(sample.states.count)))
        hub.terminate()
    }
}
