import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Synchronization
import SyncProtocol
import Testing
import WireCompression

/// Sync on a slow link (Protocol/README.md §6.1–6.2) against the real hub: compressed bodies both
/// ways, bombs refused, and few requests per sync.
@Suite struct WireEndToEndTests {
    /// Counts the requests a client makes, and can cut the connection after some pushes.
    final class Counting: HTTPSending {
        let inner: HTTPTransport
        let log = Mutex<[(path: String, records: Int, bytes: Int, encoding: String?, type: String?)]>([])
        let cutAfterPushes: Int?
        /// Requests on their way now, and the most at once.
        let concurrency = Mutex((now: 0, most: 0))

        init(_ inner: HTTPTransport = HTTPTransport(), cutAfterPushes: Int? = nil) {
            self.inner = inner
            self.cutAfterPushes = cutAfterPushes
        }

        var compressesBodies: Bool { inner.compressing }

        func send(_ method: String, _ url: URL, token: String?, body: Data?, type: String?, encoding: String?) async throws -> HTTPAnswer {
            let pushes = log.withLock { $0.filter { $0.path.hasSuffix("push") }.count }
            if url.path.hasSuffix("push"), let cut = cutAfterPushes, pushes >= cut {
                throw SyncError.unreachable(url.host ?? "", "cut (test)")
            }
            var records = 0
            if url.path.hasSuffix("push"), let body {
                let plain = try encoding.map { _ in try WireCompression.gzip.decompress(body, limit: 8 << 20) } ?? Array(body)
                records = try PushRequest.decode(plain).records.count
            }
            log.withLock { $0.append((url.path, records, body?.count ?? 0, encoding, type)) }
            concurrency.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            defer { concurrency.withLock { $0.now -= 1 } }
            return try await inner.send(method, url, token: token, body: body, type: type, encoding: encoding)
        }

        var requests: [String] { log.withLock { $0.map(\.path) } }
    }

    static func logVisits(_ store: FieldStore, _ count: Int) throws {
        let names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em"]
        for n in 0..<count {
            _ = try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "\(names[n % names.count]) \(n)"))
        }
    }

    @Test func aSyncOf500NewVisitsTakesOneRequestAndAResumedSyncSendsNothingTwice() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), minh = try Laptop(dir, "Minh")
        try lan.enroll(hub)
        try minh.enroll(hub)
        let store = try FieldStore.open(at: lan.store)
        // The first sync learns that the hub takes gzip; from then on bodies go compressed.
        _ = try await SyncClient(transport: Counting()).sync(store)
        try Self.logVisits(store, 500)
        let counting = Counting()
        let summary = try await SyncClient(transport: counting).sync(store)
        #expect(counting.requests == ["/v1/push"], "one round trip: \(counting.requests)")
        #expect(summary.pushed == 500 && summary.fastForward == 500 && summary.pulled == 0)
        let sent = try #require(counting.log.withLock { $0.first })
        #expect(sent.encoding == "gzip" && sent.type == CompactStates.mediaType && sent.records == 500, "\(sent)")
        print("500 visits: \(sent.bytes) bytes compressed (\(sent.bytes / 500) per visit), answer \(summary.bytesReceived) bytes")

        // Minh gets them in one request too: an empty push whose answer carries the page.
        let minhStore = try FieldStore.open(at: minh.store)
        let minhCounting = Counting()
        let minhSummary = try await SyncClient(transport: minhCounting).sync(minhStore)
        #expect(minhSummary.pulled == 500 && minhCounting.requests == ["/v1/push"], "\(minhCounting.requests)")

        // A client of protocol 3 (plain bodies, no folded pull) still syncs.
        try Self.logVisits(minhStore, 3)
        let plain = Counting(HTTPTransport(compressing: false))
        let plainSummary = try await SyncClient(transport: plain).sync(minhStore)
        #expect(plainSummary.pushed == 3 && plain.requests == ["/v1/push", "/v1/pull"] && plain.log.withLock { $0[0].encoding } == nil)
        #expect(plain.log.withLock { $0[0].type } == nil, "a client of protocol 3 sends the JSON form")

        // 1,000 visits, the link cut after the first batch: the resumed sync sends only the rest.
        try Self.logVisits(store, 1_000)
        let cut = Counting(cutAfterPushes: 1)
        await #expect(throws: SyncError.self) { try await SyncClient(transport: cut).sync(store) }
        let resumed = Counting()
        let again = try await SyncClient(transport: resumed).sync(store)
        let first = cut.log.withLock { $0.map(\.records).reduce(0, +) }, rest = resumed.log.withLock { $0.map(\.records).reduce(0, +) }
        #expect(first == 500 && rest == 500 && again.pushed == 500, "sent \(first) then \(rest)")
        #expect(again.pulled == 0 && again.bytesReceived < 2_000, "none of its own visits comes back: \(again.bytesReceived) bytes")
        #expect(hub.terminate() == 0)
    }

    /// 2,000 visits: while the hub merges a batch the next ones are on their way (up to three at once), the last waits
    /// to carry the pull, and none of the sync's own visits comes back, though they come after the cursor.
    @Test func batchesArePipelinedAndASyncsOwnVisitsNeverComeBack() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), minh = try Laptop(dir, "Minh")
        try lan.enroll(hub)
        try minh.enroll(hub)
        let store = try FieldStore.open(at: lan.store), minhStore = try FieldStore.open(at: minh.store)
        _ = try await SyncClient(transport: Counting()).sync(store)
        try Self.logVisits(store, 2_000)
        try Self.logVisits(minhStore, 7)
        _ = try await SyncClient().sync(minhStore)
        let counting = Counting()
        let summary = try await SyncClient(transport: counting).sync(store)
        #expect(counting.requests == Array(repeating: "/v1/push", count: 4), "\(counting.requests)")
        #expect(counting.concurrency.withLock { $0.most } >= 2, "batches on their way at once")
        #expect(summary.pushed == 2_000 && summary.fastForward == 2_000 && summary.pulled == 7, "\(summary)")
        #expect(summary.bytesReceived < 8_000, "only Minh's 7 visits came back: \(summary.bytesReceived) bytes")
        let minhSummary = try await SyncClient().sync(minhStore)
        #expect(try minhSummary.pulled == 2_000 && minhStore.visits().count == 2_007)
        #expect(hub.terminate() == 0)
    }

    /// On a terminal (`script` gives the command one) a sync draws a progress line, or JSON lines with
    /// --json; with no terminal it prints only its summary.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script"), "needs script(1) for a terminal"))
    func progressIsShownOnATerminalOnly() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        let store = try FieldStore.open(at: lan.store)
        func onTerminal(_ arguments: String) throws -> String {
            try Self.logVisits(store, 20)
            let command = "\(Executables.path("fieldsync")) --store \(lan.store) sync \(arguments)"
            return try Executables.run("/usr/bin/script", ["-qc", command, "/dev/null"]).stdout
        }
        let line = try onTerminal("")
        #expect(line.contains("\r\u{1B}[K↑ 20 visits (") && line.contains("B/s") && line.contains("Sent 20 visits, received 0"), "\(line)")
        #expect(line.contains(" s; ↑ ") && line.contains(", ↓ "), "the summary gives time and bytes: \(line)")
        // script(1) ends lines with \r\n.
        let events = try onTerminal("--json").split(whereSeparator: \.isNewline).filter { $0.hasPrefix(#"{"event":"progress""#) }
        let event = try #require(events.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
        #expect(event["pushed"] as? Int == 20 && event["phase"] as? String == "push" && (event["bytesSent"] as? Int ?? 0) > 0, "\(event)")
        try Self.logVisits(store, 20)
        let piped = try lan.run("sync")
        #expect(!piped.stderr.contains("\u{1B}[K") && !piped.stdout.contains("event"), "no terminal, no progress: \(piped)")
        #expect(hub.terminate() == 0)
    }

    @Test func compressedBodiesBothWaysAndBombsAndBadDataRefused() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        let store = try FieldStore.open(at: lan.store)
        try Self.logVisits(store, 40)
        let token = try #require(try store.enrollment()?.token)
        let pending = try store.pendingPush()
        let body = PushRequest(replica: store.profile.replicaID, seq: pending.seq, batch: pending.batch, unsynced: 0,
                               records: pending.states, conflicts: nil).encoded()

        func post(_ bytes: [UInt8], encoding: String?, type: String = "application/json") async throws -> (Int, [String: Any], HTTPURLResponse?) {
            var request = URLRequest(url: try #require(URL(string: hub.url + "/v1/push")))
            request.httpMethod = "POST"
            request.httpBody = Data(bytes)
            request.setValue(type, forHTTPHeaderField: "Content-Type")
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
            if let encoding { request.setValue(encoding, forHTTPHeaderField: "Content-Encoding") }
            let (data, response) = try await URLSession.shared.data(for: request)
            let http = response as? HTTPURLResponse
            return (http?.statusCode ?? 0, (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:], http)
        }
        func code(_ json: [String: Any]) -> String? { (json["error"] as? [String: Any])?["code"] as? String }

        let bomb = try WireCompression.gzip.compress([UInt8](repeating: 0x20, count: 64 << 20))
        let (bombStatus, bombJSON, _) = try await post(bomb, encoding: "gzip")
        #expect(bombStatus == 413 && code(bombJSON) == "payload_too_large", "a \(bomb.count)-byte bomb: \(bombStatus) \(bombJSON)")
        let (corruptStatus, corruptJSON, _) = try await post(body, encoding: "gzip")
        #expect(corruptStatus == 400 && code(corruptJSON) == "invalid_request", "\(corruptJSON)")
        let (cutStatus, _, _) = try await post(Array(try WireCompression.gzip.compress(body).dropLast(10)), encoding: "gzip")
        #expect(cutStatus == 400, "a cut gzip stream is refused")
        let (unknownStatus, unknownJSON, _) = try await post(body, encoding: "br")
        #expect(unknownStatus == 400 && "\(unknownJSON)".contains("br"))
        // A compact body naming a field beyond its table: refused, nothing written.
        let compact = PushRequest(replica: store.profile.replicaID, seq: pending.seq, batch: pending.batch, unsynced: 0,
                                  records: pending.states, conflicts: nil).encoded(compact: true)
        let text = String(decoding: compact, as: UTF8.self)
        let table = try #require(text.range(of: #""fields":\[[^\]]*\]"#, options: .regularExpression))
        let forged = Array(text.replacingCharacters(in: table, with: #""fields":[]"#).utf8)
        let (forgedStatus, forgedJSON, _) = try await post(forged, encoding: nil, type: CompactStates.mediaType)
        #expect(forgedStatus == 400 && "\(forgedJSON)".contains("states"), "\(forgedStatus) \(forgedJSON)")
        let untouched = try await HTTP.send("GET", hub.url + "/v1/pull?after=0", token: token).json["records"] as? [Any]
        #expect(untouched?.isEmpty == true, "nothing was written")

        let (status, json, response) = try await post(try WireCompression.deflate.compress(body), encoding: "deflate")
        #expect(status == 200 && json["received"] as? Int == 40, "\(json)")
        #expect(response?.value(forHTTPHeaderField: "Accept-Encoding") == "gzip, deflate")

        // A pull page comes gzip-compressed to a client that takes it (URLSession inflates it).
        var request = URLRequest(url: try #require(URL(string: hub.url + "/v1/pull?after=0")))
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        request.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
        let (data, pullResponse) = try await URLSession.shared.data(for: request)
        let http = try #require(pullResponse as? HTTPURLResponse)
        #expect(http.value(forHTTPHeaderField: "Content-Encoding") == "gzip")
        let wire = try #require(http.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init))
        #expect(try PullPage.decode(Array(data)).records.count == 40 && wire < data.count / 3, "\(wire) bytes on the wire for \(data.count)")

        // Asked for the compact form, the same page comes as `states`, labelled so, smaller still.
        request.setValue(CompactStates.mediaType, forHTTPHeaderField: "Accept")
        let (compactData, compactResponse) = try await URLSession.shared.data(for: request)
        let compactHTTP = try #require(compactResponse as? HTTPURLResponse)
        #expect(compactHTTP.value(forHTTPHeaderField: "Content-Type") == CompactStates.mediaType)
        #expect(compactHTTP.value(forHTTPHeaderField: "Accept-Post")?.contains(CompactStates.mediaType) == true)
        #expect(try PullPage.decode(Array(compactData)) == PullPage.decode(Array(data)))
        let compactWire = try #require(compactHTTP.value(forHTTPHeaderField: "Content-Length").flatMap(Int.init))
        #expect(compactData.count < data.count / 2 && compactWire < wire, "compact \(compactData.count) (\(compactWire) on the wire) vs \(data.count) (\(wire))")
        #expect(hub.terminate() == 0)
    }
}
