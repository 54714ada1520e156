import FieldSyncTesting
import Foundation
import Testing

/// What an operator meets running the hub: health, metrics, one server per store, one-line errors.
@Suite(.serialized) struct OperationsEndToEndTests {
    @Test func healthAndMetricsReportWhatTheHubDid() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Phạm Thị Mai")
        _ = try lan.log("Phạm Văn Nam")
        try lan.sync()

        let health = try await HTTP.send("GET", hub.url + "/v1/health")
        #expect(health.status == 200 && health.json["ready"] as? Bool == true && health.json["version"] as? String != nil)
        #expect((health.json["schema"] as? Int ?? 0) >= 6)
        _ = try await HTTP.send("GET", hub.url + "/v1/pull", token: "not-a-token")

        let metrics = try await HTTP.send("GET", hub.url + "/metrics")
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(metrics.status == 200, "\(text)")
        #expect(text.contains("fieldsync_pushes_total 1"), "\(text)")
        #expect(text.contains(#"fieldsync_records_total{class="fast-forward"} 2"#), "\(text)")
        #expect(text.contains(#"fieldsync_refused_requests_total{status="401"} 1"#), "\(text)")
        #expect(text.contains("fieldsync_store_bytes") && text.contains("http_server_request_duration"), "\(text)")
        let log = try String(contentsOfFile: hub.logPath, encoding: .utf8)
        #expect(log.contains("request refused") && log.contains("/v1/pull"), "refused requests are logged")
    }

    @Test func aSecondServerOnTheSameStoreAndABusyPortAreRefusedInOneLine() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        // `timeout` guards the test: a server that started anyway would otherwise run for ever.
        let second = try Executables.run("/usr/bin/timeout", ["10", Executables.path("fieldsync-server"), "--db", hub.database,
                                                             "serve", "--port", "0"])
        #expect(second.status == 1 && second.stderr.contains("already serving") && second.stderr.contains("\(hub.pid ?? 0)"),
                "\(second)")
        let busy = try Executables.run("/usr/bin/timeout", ["10", Executables.path("fieldsync-server"), "--db", dir.file("other.sqlite"),
                                                           "serve", "--port", "\(hub.port)"])
        #expect(busy.status == 1 && busy.stderr.contains("already in use") && !busy.stderr.contains("errno"), "\(busy)")
        let noFolder = try Executables.run("fieldsync-server", ["--db", dir.file("missing/hub.sqlite"), "devices", "list"])
        #expect(noFolder.status != 0 && noFolder.stderr.contains("does not exist") && noFolder.stderr.contains("mkdir"), "\(noFolder)")
        let both = try hub.command("enrollment-code", "--role", "coordinator", "--province", "46", "--commune", "00004")
        #expect(both.status != 0 && both.stderr.contains("not both"), "\(both)")
        // The lock goes with the server: after it stops, another may start.
        #expect(hub.terminate() == 0)
        try hub.restart()
    }

    @Test func aHubRestoredFromABackupGetsBackWhatTheLaptopsHad() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan"), b = try Laptop(dir, "Bình")
        try a.enroll(hub)
        try b.enroll(hub)
        let first = try a.log("Trước bản sao lưu")
        try a.sync()
        #expect(hub.terminate() == 0)
        let files = ["", "-wal", "-shm"].map { hub.database + $0 }.filter { FileManager.default.fileExists(atPath: $0) }
        for file in files { try FileManager.default.copyItem(atPath: file, toPath: file + ".bak") }
        try hub.restart()
        let later = [try a.log("Sau bản sao lưu 1"), try a.log("Sau bản sao lưu 2")]
        try a.sync()
        try b.sync()
        #expect(Set(try b.visits().keys) == Set([first] + later))

        // The operator restores the backup: the hub has gone back to one visit.
        #expect(hub.terminate() == 0)
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: hub.database + suffix) }
        for file in files { try FileManager.default.copyItem(atPath: file + ".bak", toPath: file) }
        try hub.restart()
        #expect(Set(try hubVisits(hub).keys) == [first])
        let log = try String(contentsOfFile: hub.logPath, encoding: .utf8)
        #expect(log.contains("restored from an older copy"))

        let resent = try a.sync()
        #expect(resent["hubRestored"] as? Bool == true && resent["pushed"] as? Int == 3, "\(resent)")
        #expect(Set(try hubVisits(hub).keys) == Set([first] + later))
        let again = try a.sync()
        #expect(again["hubRestored"] as? Bool == false && again["pushed"] as? Int == 0, "\(again)")
        try b.sync()
        #expect(Set(try b.visits().keys) == Set([first] + later))
    }
}
