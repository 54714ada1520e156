import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import SyncCore
import SyncProtocol
import Testing

/// What an attacker holding one enrolled laptop's token (or a coordinator's) tries against the real hub:
/// every request gets a clear 4xx, the hub stays up, and nothing it stores or shows can be abused.
@Suite(.serialized) struct HostileRequestEndToEndTests {
    /// A hub with one synced visit in 00004, a volunteer of 00004, and a second laptop's pending states to tamper with.
    struct Setup {
        let dir = TemporaryDirectory()
        let hub: HubProcess
        let lan: Laptop
        let token: String
        let store: FieldStore
        let pending: PendingPush

        init(hubArguments: [String] = []) throws {
            hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: hubArguments)
            lan = try Laptop(dir, "Lan")
            try lan.enroll(hub)
            _ = try lan.log("Đã đồng bộ")
            try lan.sync()
            token = try #require(try FieldStore.open(at: lan.store).enrollment()?.token)
            store = try FieldStore.open(at: lan.store)
            _ = try lan.log("Chưa gửi")
            pending = try store.pendingPush()
        }

        func push(_ records: [RecordState], conflicts: [Conflict]? = nil, replica: ReplicaID? = nil, batch: String = "t") -> Data {
            Data(PushRequest(replica: replica ?? store.profile.replicaID, seq: pending.seq, batch: batch, unsynced: 0,
                             records: records, conflicts: conflicts).encoded())
        }

        func send(_ method: String, _ path: String, token: String? = nil, body: Data? = nil) async throws -> HTTP.Answer {
            try await HTTP.send(method, hub.url + path, token: token ?? self.token, body: body)
        }

        func alive() async throws -> Bool { try await send("GET", "/v1/health").status == 200 }
    }

    @Test func numbersOutsideTheirRangeGet400AndTheHubStaysUp() async throws {
        let setup = try Setup()
        let coordinator = try await enrollCoordinator(setup.hub, ["--role", "coordinator", "--commune", "00004"])
        for after in ["9223372036854775808", "18446744073709551615", "18446744073709551616", "-1", "1e3", "9007199254740993"] {
            let answer = try await setup.send("GET", "/v1/pull?after=\(after)")
            #expect(answer.status == 400 && answer.errorCode == "invalid_request", "after=\(after)")
        }
        for limit in ["0", "2001", "-5", "abc"] {
            let answer = try await setup.send("GET", "/v1/pull?limit=\(limit)")
            #expect(answer.status == 400, "limit=\(limit)")
        }
        #expect(try await setup.send("GET", "/v1/pull?after=9007199254740992&limit=2000").status == 200)
        for session in ["", "a%20b", String(repeating: "s", count: 65), "%C4%91", "s%0A"] {
            let answer = try await setup.send("GET", "/v1/pull?after=0&sync=\(session)")
            #expect(answer.status == 400 && answer.errorCode == "invalid_request", "sync=\(session)")
        }
        #expect(try await setup.send("GET", "/v1/pull?after=0&sync=s-1f2e-99").status == 200)
        for days in ["800000", "-1", "0", "3651", "99999999999999999999999"] {
            let answer = try await setup.send("GET", "/v1/reports/devices?staleDays=\(days)", token: coordinator)
            #expect(answer.status == 400 && answer.errorCode == "invalid_request", "staleDays=\(days)")
        }
        #expect(try await setup.send("GET", "/v1/reports/devices?staleDays=3650", token: coordinator).status == 200)
        #expect(try await setup.alive())
        #expect(setup.hub.pid != nil, "the hub process is still running")
    }

    /// Malformed bundle keys at enrolment are refused, and the code stays good for a proper request.
    @Test func malformedBundleKeysAreRefusedWithoutSpendingTheCode() async throws {
        let setup = try Setup()
        let code = try setup.hub.enrollmentCode(commune: "00004")
        let good = String(repeating: "ab", count: 32) + "." + String(repeating: "cd", count: 32)
        for keys in ["", "ab.cd", String(good.dropLast()), good.uppercased(), good + ".00", String(repeating: "a", count: 129)] {
            let body = try JSONSerialization.data(withJSONObject: ["code": code, "bundleKeys": keys])
            let answer = try await HTTP.send("POST", setup.hub.url + "/v1/enroll", body: body)
            #expect(answer.status == 400 && answer.errorCode == "invalid_request", "bundleKeys \(keys): \(answer.status)")
        }
        let answer = try await HTTP.send("POST", setup.hub.url + "/v1/enroll", body: try JSONSerialization.data(withJSONObject: ["code": code, "bundleKeys": good]))
        #expect(answer.status == 200 && answer.json["hubBundleKeys"] as? String != nil, "\(answer.status)")
    }

    @Test func forgedConflictEntriesAreRefusedAndNeverReachAnotherCommunesReport() async throws {
        let setup = try Setup()
        // A visit of commune 00008, written by its own volunteer.
        let other = try Laptop(setup.dir, "Khác", commune: "00008")
        try other.enroll(setup.hub, commune: "00008")
        let victim = try other.log("Người xã khác")
        try other.sync()
        let state = try FieldStore.open(at: other.store).visit(victim).state
        let stamp = Stamp(millis: UInt64(Date().timeIntervalSince1970 * 1000), counter: 0, replica: setup.store.profile.replicaID)
        func forged(record: String, field: String = "note", value: FieldValue) -> Conflict {
            Conflict(record: record, fields: [.init(field: field, stored: Register(value: value, stamp: stamp),
                                                    incoming: Register(value: .text("x"), stamp: stamp), winner: .stored)],
                     storedVersion: [setup.store.profile.replicaID: 1], incomingVersion: [setup.hub.replicaIDValue ?? .random(): 1],
                     detectedBy: setup.store.profile.replicaID)
        }
        let own = try #require(setup.pending.states.first)
        let entries = [
            forged(record: state.id, value: .text("bịa đặt")),                                   // another commune's visit
            forged(record: own.id, value: .text(String(repeating: "A", count: 4_000_000))),      // 4 MB value
            forged(record: own.id, field: "password", value: .text("123456")),                 // not a visit field
            forged(record: own.id, value: .text("bell \u{07}\u{1B}[31m")),                     // control characters
            forged(record: "00000000-0000-7000-8000-00000000dead", value: .text("không có")),  // a visit the hub never had
        ]
        let answer = try await setup.send("POST", "/v1/push", body: setup.push([own], conflicts: entries))
        #expect(answer.status == 200, "\(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        let refused = (answer.json["rejectedConflicts"] as? [[String: Any]]) ?? []
        #expect(refused.count == entries.count)
        #expect(refused.first?["code"] as? String == "out_of_scope")
        let report = try setup.hub.command("report", "merge", "--commune", "00008", "--format", "json")
        #expect(report.status == 0 && !report.stdout.contains("bịa đặt"))
        #expect(try setup.hub.command("report", "merge", "--format", "json").stdout.utf8.count < 100_000)
    }

    @Test func repeatedHugeInvalidRecordsStayBoundedInStoreAndReports() async throws {
        let setup = try Setup()
        var bad = try #require(setup.pending.states.first)
        let stamp = try #require(bad["note"]?.stamp)
        bad["note"] = Register(value: .text(String(repeating: "N", count: 4_000_000)), stamp: stamp)
        let body = setup.push([bad])
        #expect(body.count > 4_000_000 && body.count < WireLimits.maxBodyBytes)
        for n in 0..<25 {
            let answer = try await setup.send("POST", "/v1/push", body: setup.push([bad], batch: "b\(n)"))
            #expect(answer.status == 200)
            #expect(((answer.json["rejected"] as? [[String: Any]])?.first?["message"] as? String)?.contains("longer than") == true)
        }
        // A hostile commune string: refused as a whole push, its text cut in the refusal kept.
        var moved = try #require(setup.pending.states.first)
        moved["commune"] = Register(value: .text(String(repeating: "9", count: 3_000_000)), stamp: stamp)
        let scope = try await setup.send("POST", "/v1/push", body: setup.push([moved]))
        #expect(scope.status == 403 && String(decoding: scope.body, as: UTF8.self).utf8.count < 2_000)

        let size = try FileManager.default.attributesOfItem(atPath: setup.hub.database)[.size] as? Int ?? 0
        let wal = (try? FileManager.default.attributesOfItem(atPath: setup.hub.database + "-wal")[.size] as? Int) ?? 0
        #expect(size + wal < 8_000_000, "hub store \(size) + WAL \(wal) bytes after 25 × 4 MB refused records")
        let json = try setup.hub.command("report", "merge", "--format", "json")
        #expect(json.stdout.utf8.count < 50_000)
        let quarantined = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let lines = quarantined?["quarantined"] as? [[String: Any]] ?? []
        #expect(lines.count == 1 && lines.first?["attempts"] as? Int == 25 && (lines.first?["payloadSize"] as? Int ?? 0) > 4_000_000)
        let html = try setup.hub.command("report", "merge", "--format", "html")
        #expect(html.stdout.utf8.count < 100_000)
    }

    @Test func escapeAndBidiCharactersNeverReachATerminalRaw() async throws {
        let setup = try Setup()
        // At the laptop: refused at input.
        let bidi = try setup.lan.run("log", "--service", "other", "--outcome", "done", "--name", "Nguyễn\u{202E}nặv")
        #expect(bidi.status != 0 && bidi.stderr.contains("invisible formatting"))
        let escape = try setup.lan.run("log", "--service", "other", "--outcome", "done", "--name", "A", "--note", "x\u{1B}[2J")
        #expect(escape.status != 0 && !escape.stderr.contains("\u{1B}"))
        // At the hub: a record id, a field value and a commune with ESC, pushed directly.
        var byID = try #require(setup.pending.states.first)
        byID = RecordState(id: "\u{1B}[31mred\u{1B}[0m", sortedFields: byID.fields, version: byID.version)
        var byValue = try #require(setup.pending.states.first)
        let stamp = try #require(byValue["name"]?.stamp)
        byValue["name"] = Register(value: .text("Bà \u{1B}]0;owned\u{07}\u{202E}X"), stamp: stamp)
        let answer = try await setup.send("POST", "/v1/push", body: setup.push([byID, byValue]))
        #expect(answer.status == 200 && (answer.json["rejected"] as? [Any])?.count == 2)
        var moved = try #require(setup.pending.states.first)
        moved["commune"] = Register(value: .text("\u{1B}[2J"), stamp: stamp)
        #expect(try await setup.send("POST", "/v1/push", body: setup.push([moved])).status == 403)

        let coordinator = try await enrollCoordinator(setup.hub, ["--role", "coordinator", "--commune", "00004"])
        for format in ["table", "csv", "html", "json"] {
            let cli = try setup.hub.command("report", "merge", "--format", format)
            #expect(cli.status == 0 && !cli.stdout.contains("\u{1B}") && !cli.stdout.contains("\u{202E}"), "CLI \(format)")
            let http = try await setup.send("GET", "/v1/reports/merge?format=\(format)", token: coordinator)
            let text = String(decoding: http.body, as: UTF8.self)
            #expect(http.status == 200 && !text.contains("\u{1B}") && !text.contains("\u{202E}"), "HTTP \(format)")
        }
        #expect(try setup.hub.command("report", "merge").stdout.contains("\\u{1B}"), "shown escaped, not hidden")
    }

    @Test func strictJSONAndReservedIdentities() async throws {
        let setup = try Setup()
        let good = String(decoding: setup.push(setup.pending.states), as: UTF8.self)
        let duplicateTop = "{\"batch\":\"x\"," + good.dropFirst()
        let answer = try await setup.send("POST", "/v1/push", body: Data(duplicateTop.utf8))
        #expect(answer.status == 400 && answer.errorCode == "malformed_json")
        let duplicateField = good.replacingOccurrences(of: "\"fields\":{", with: "\"fields\":{\"note\":{\"stamp\":\"000000000001-00000000-0000000000000001\",\"value\":\"a\"},")
        let inner = try await setup.send("POST", "/v1/push", body: Data(duplicateField.utf8))
        #expect(inner.status == 400 && inner.errorCode == "malformed_json")
        let dupEnroll = try await setup.send("POST", "/v1/enroll", body: Data(#"{"code":"A","code":"B"}"#.utf8))
        #expect(dupEnroll.status == 400 && dupEnroll.errorCode == "malformed_json")
        let bigSeq = good.replacingOccurrences(of: "\"seq\":\(setup.pending.seq)", with: "\"seq\":9007199254740993")
        #expect(try await setup.send("POST", "/v1/push", body: Data(bigSeq.utf8)).status == 400)

        let zero = try await setup.send("POST", "/v1/push", body: setup.push(setup.pending.states, replica: ReplicaID(rawValue: 0)))
        #expect(zero.status == 400 && zero.errorCode == "invalid_request")
        let hubReplica = try #require(setup.hub.replicaIDValue)
        let hubs = try await setup.send("POST", "/v1/push", body: setup.push(setup.pending.states, replica: hubReplica))
        #expect(hubs.status == 400 && hubs.errorCode == "invalid_request")

        var future = try #require(setup.pending.states.first)
        let stamp = try #require(future["visitedAt"]?.stamp)
        future["visitedAt"] = Register(value: .text("2099-01-01T00:00:00Z"), stamp: stamp)
        let dated = try await setup.send("POST", "/v1/push", body: setup.push([future]))
        let rejected = (dated.json["rejected"] as? [[String: Any]])?.first
        #expect(dated.status == 200 && (rejected?["message"] as? String)?.contains("after today") == true)

        let trace = try await setup.send("TRACE", "/v1/push")
        #expect(trace.status == 405 && trace.errorCode == "method_not_allowed")
        let put = try await setup.send("PUT", "/v1/pull")
        #expect(put.status == 405)
        #expect(try await setup.alive())
    }

    @Test func enrolmentGuessingIsThrottledAndLoggedAndCoordinatorsGetNoKey() async throws {
        let setup = try Setup()
        var statuses: [Int] = []
        for n in 0..<12 {
            let answer = try await setup.send("POST", "/v1/enroll", body: Data(#"{"code":"WRNG-CODE-\#(1000 + n)"}"#.utf8))
            statuses.append(answer.status)
        }
        #expect(statuses.prefix(10).allSatisfy { $0 == 401 } && statuses.suffix(2).allSatisfy { $0 == 429 }, "\(statuses)")
        let log = try String(contentsOfFile: setup.hub.logPath, encoding: .utf8)
        #expect(log.contains("wrong enrolment code") && log.contains("127.0.0.1"))
        #expect(!log.contains(setup.token), "tokens never reach the log")

        let code = try setup.hub.command("enrollment-code", "--role", "coordinator", "--province", "01").output
        let other = try RawSocket(port: setup.hub.port, source: "127.0.0.2")
        let body = #"{"code":"\#(code)"}"#
        other.send("POST /v1/enroll HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let reply = other.read(seconds: 5).text
        #expect(reply.contains("200 OK") && reply.contains("\"token\"") && !reply.contains("citizenIdKey"), "another address is not throttled")
    }

    @Test func storeFilesArePrivate() throws {
        let setup = try Setup()
        for file in [setup.lan.store, setup.lan.store + "-wal", setup.hub.database, setup.hub.database + "-wal",
                     setup.hub.database + ".hwm", setup.hub.database + ".lock"] {
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
            #expect(mode & 0o077 == 0, "\(file) has mode \(String(mode, radix: 8))")
        }
        // An existing store readable by others is narrowed when opened.
        let loose = setup.dir.file("loose.sqlite")
        _ = try Laptop(setup.dir, "loose")
        chmod(loose, 0o644)
        _ = try Executables.run("fieldsync", ["--store", loose, "status"])
        let mode = try FileManager.default.attributesOfItem(atPath: loose)[.posixPermissions] as? NSNumber
        #expect(mode?.intValue == 0o600)
    }

    @Test func plainHTTPToAnotherMachineIsRefusedUnlessAllowed() throws {
        let dir = TemporaryDirectory()
        let laptop = try Laptop(dir, "Lan")
        let refused = try laptop.run("enroll", "--server", "http://10.20.30.40:8080", "--code", "AAAA-BBBB-CCCC")
        #expect(refused.status != 0 && refused.stderr.contains("plain http://") && refused.stderr.contains("--insecure-http"))
        let allowed = try laptop.run("enroll", "--server", "http://nohost.invalid:8080", "--code", "AAAA-BBBB-CCCC", "--insecure-http")
        #expect(allowed.status != 0 && allowed.stderr.contains("cannot reach the hub"), "allowed, then it tries the network")
    }

    @Test func theHubServesTLSItself() async throws {
        let dir = TemporaryDirectory()
        let key = dir.file("hub.key"), certificate = dir.file("hub.pem")
        let made = try Executables.run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", key, "-out", certificate,
            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
        ])
        try #require(made.status == 0, "\(made)")
        let hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: ["--tls-cert", certificate, "--tls-key", key])
        #expect(hub.url.hasPrefix("https://"))
        let curl = try Executables.run("/usr/bin/curl", ["-s", "--cacert", certificate, hub.url + "/v1/health"])
        #expect(curl.status == 0 && curl.stdout.contains("\"status\":\"ok\""))
        let plain = try Executables.run("/usr/bin/curl", ["-s", "-m", "5", hub.url.replacingOccurrences(of: "https", with: "http") + "/v1/health"])
        #expect(plain.status != 0 || !plain.stdout.contains("ok"), "no plain HTTP on the TLS port")
        // The laptop refuses a certificate it cannot verify, with a clear reason.
        let laptop = try Laptop(dir, "Lan")
        let untrusted = try laptop.run("enroll", "--server", hub.url, "--code", try hub.enrollmentCode(commune: "00004"))
        #expect(untrusted.status != 0 && untrusted.stderr.contains("certificate"))
        let half = try Executables.run("fieldsync-server", ["--db", dir.file("x.sqlite"), "serve", "--tls-cert", certificate])
        #expect(half.status != 0 && half.stderr.contains("--tls-key"))
    }

    @Test func slowClientsCannotStarveSyncs() async throws {
        #expect(RawSocket.raiseFileLimit() >= 4_500, "the test needs file descriptors for its slow clients")
        let dir = TemporaryDirectory()
        // The hub starts with the usual soft limit of 1,024 open files and must raise it itself.
        let hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: ["--idle-timeout", "30", "--body-timeout", "3"],
                                 launcher: ["/usr/bin/prlimit", "--nofile=1024:\(RawSocket.raiseFileLimit())", "--"])
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        // 2,000 connections from four other loopback addresses that send half a request head, then a byte.
        var slow: [RawSocket] = []
        for n in 0..<2_000 {
            guard let socket = try? RawSocket(port: hub.port, source: "127.0.0.\(2 + n % 4)") else { break }
            socket.send("POST /v1/push HTTP/1.1\r\nHost: h\r\nX-\(n): ")
            slow.append(socket)
        }
        #expect(slow.count == 2_000)
        for socket in slow { socket.send("a") }
        let started = Date()
        for n in 0..<5 { _ = try lan.log("Công dân \(n)") }
        let sync = try lan.sync()
        #expect((sync["pushed"] as? Int) == 5)
        #expect(Date().timeIntervalSince(started) < 20, "a sync is served while 2,000 slow connections are open")
        #expect(try await HTTP.send("GET", hub.url + "/v1/health").status == 200)
        #expect(slow.suffix(20).allSatisfy { !$0.read(seconds: 0.05).closed }, "the slow connections were still open")
        // A body trickled past its deadline gets 408 and the connection is closed.
        let trickle = try RawSocket(port: hub.port)
        trickle.send("POST /v1/enroll HTTP/1.1\r\nHost: h\r\nContent-Length: 100\r\n\r\n{")
        let answer = trickle.read(seconds: 8)
        #expect(answer.text.contains("408") && answer.closed, "\(answer)")
    }

    @Test func idleAndCrowdingConnectionsAreClosed() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: ["--idle-timeout", "2", "--max-connections-per-address", "10"])
        let half = try RawSocket(port: hub.port)
        half.send("GET /v1/health HTTP/1.1\r\nHo")
        #expect(half.read(seconds: 6).closed, "half a request head is closed after the idle timeout")
        let crowd = try (0..<12).map { _ in try RawSocket(port: hub.port, source: "127.0.0.9") }
        Thread.sleep(forTimeInterval: 0.3)
        let closed = crowd.map { $0.read(seconds: 0.05).closed }  // well within the 2 s idle timeout
        #expect(closed.filter { $0 }.count == 2, "connections past the per-address limit are closed: \(closed)")
        let other = try RawSocket(port: hub.port, source: "127.0.0.10")
        other.send("GET /v1/health HTTP/1.1\r\nHost: h\r\n\r\n")
        #expect(other.read(seconds: 3).text.contains("200 OK"), "other addresses are still served")
    }

    func enrollCoordinator(_ hub: HubProcess, _ arguments: [String]) async throws -> String {
        let code = try Executables.run("fieldsync-server", ["--db", hub.database, "enrollment-code"] + arguments).output
        let answer = try await HTTP.send("POST", hub.url + "/v1/enroll", body: Data(#"{"code":"\#(code)"}"#.utf8))
        return try #require(answer.json["token"] as? String, "\(String(decoding: answer.body, as: UTF8.self))")
    }
}

extension HubProcess {
    /// The hub's replica id, from its health endpoint's answer recorded at start (nil if unreadable).
    var replicaIDValue: ReplicaID? {
        let result = try? Executables.run("/usr/bin/curl", ["-s", url + "/v1/health"])
        guard let text = result?.stdout, let range = text.range(of: #""hubReplica":""#) else { return nil }
        return ReplicaID(String(text[range.upperBound...].prefix(16)))
    }
}
