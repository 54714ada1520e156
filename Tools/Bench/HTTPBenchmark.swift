import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import HubCore
import HubSQLite
import Foundation
import SyncProtocol
import Synchronization
import WireCompression

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
        var pushed = SyncSummary(), pulled = SyncSummary()
        let pushing = Recording()
        let pushStart = DispatchTime.now().uptimeNanoseconds
        try await SyncClient(transport: pushing).push(a, into: &pushed)
        let pushSeconds = Double(DispatchTime.now().uptimeNanoseconds - pushStart) / 1e9
        // The same batches merged by a hub store in process, one after another: the hub's own merge speed.
        let requests = try pushing.pushBodies.map { body, encoding in
            try PushRequest.decode(encoding == nil ? body : try WireCompression.gzip.decompress(body, limit: WireLimits.maxBodyBytes))
        }
        let merger = try HubService(path: dir.file("in-process.sqlite"))
        let code = try await merger.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 3_600)
        let device = try await merger.authenticate(token: try await merger.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan")).token)
        let mergeStart = DispatchTime.now().uptimeNanoseconds
        for request in requests { _ = try await merger.push(request, from: device) }
        let mergeSeconds = Double(DispatchTime.now().uptimeNanoseconds - mergeStart) / 1e9

        let pulling = Recording()
        let pullStart = DispatchTime.now().uptimeNanoseconds
        try await SyncClient(transport: pulling).pull(b, into: &pulled)
        let pullSeconds = Double(DispatchTime.now().uptimeNanoseconds - pullStart) / 1e9
        // The same pages merged into another empty store in process: the store's own merge speed.
        let pages = try pulling.pullBodies.map { try PullPage.decode($0) }
        let c = try FieldStore.create(at: dir.file("c.sqlite"), volunteer: "Cúc", team: "T-01", commune: "00004")
        let localStart = DispatchTime.now().uptimeNanoseconds
        for page in pages { _ = try c.apply(page) }
        let localSeconds = Double(DispatchTime.now().uptimeNanoseconds - localStart) / 1e9
        print(String(format: "push over loopback HTTP (the push phase of fieldsync sync: %d batches of 500, real client and fieldsync-server): %d changes in %.2f s, %.0f changes/s",
                     pushed.batches, pushed.pushed, pushSeconds, Double(pushed.pushed) / pushSeconds))
        print(String(format: "the same batches merged by a hub store in process: %.2f s, %.0f changes/s; HTTP/in-process ratio %.2f",
                     mergeSeconds, Double(pushed.pushed) / mergeSeconds, mergeSeconds / pushSeconds))
        print(String(format: "pull over loopback HTTP (%d pages of 500, merged into an empty laptop store): %d changes in %.2f s, %.0f changes/s",
                     pulled.pages, pulled.pulled, pullSeconds, Double(pulled.pulled) / pullSeconds))
        print(String(format: "the same pages merged into an empty laptop store in process: %.2f s, %.0f changes/s; HTTP/in-process ratio %.2f",
                     localSeconds, Double(pulled.pulled) / localSeconds, localSeconds / pullSeconds))
        print(String(format: "bytes on the wire per visit change: push %.0f, pull %.0f (bodies as sent)",
                     Double(pushed.bytesSent) / Double(pushed.pushed), Double(pulled.bytesReceived) / Double(pulled.pulled)))
        hub.terminate()
    }
}

/// The real transport, keeping the bodies of push requests and of pull answers.
final class Recording: HTTPSending {
    let inner = HTTPTransport()
    let bodies = Mutex<[[UInt8]]>([])
    let pushes = Mutex<[(body: [UInt8], encoding: String?)]>([])

    func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?) async throws -> HTTPAnswer {
        let answer = try await inner.send(method, url, token: token, body: body, type: type, encoding: encoding)
        if url.path.hasSuffix("/v1/pull") { bodies.withLock { $0.append(Array(answer.body)) } }
        if url.path.hasSuffix("/v1/push"), let body { pushes.withLock { $0.append((Array(body), encoding)) } }
        return answer
    }

    var pullBodies: [[UInt8]] { bodies.withLock { $0 } }
    var pushBodies: [(body: [UInt8], encoding: String?)] { pushes.withLock { $0 } }
}
