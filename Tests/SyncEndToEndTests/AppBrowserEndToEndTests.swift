import FieldStore
import FieldSyncTesting
import Foundation
import Testing

/// The volunteer's app in a real browser (issue 32): the real `fieldsync app` on 127.0.0.1 over an encrypted store
/// enrolled with the real `fieldsync-server`, driven by Tools/app-browser-test.py (chromium, selenium) through a
/// volunteer's day and the attacks. Screenshots at 1366 and 412 px go to `.build/app-screenshots`.
@Suite struct AppBrowserEndToEndTests {
    @Test(.enabled(if: ConsoleBrowserEndToEndTests.browserAvailable || ConsoleBrowserEndToEndTests.required,
                   "chromium and chromium-driver are not installed (Tools/setup.sh --protocol)"))
    func aVolunteersDayInTheApp() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        // Another laptop's visits reach the hub; one of them this laptop edits while Bình edits it too.
        let shared = try binh.log("Đỗ Văn Nam")
        _ = try binh.log("Phạm Thị Gấm", service: "e-wallet")
        try binh.sync()
        try lan.sync()
        #expect(try lan.run("edit", shared, "--note", "hẹn quay lại thứ Hai").status == 0)
        #expect(try binh.run("edit", shared, "--note", "đã kích hoạt xong").status == 0)
        try binh.sync()
        // The app's laptop is encrypted and locked, as a laptop is in the morning.
        let passphrase = "con mèo trèo cây cau"
        #expect(try Executables.run("fieldsync", ["--store", lan.store, "passphrase"], environment: ["FIELDSYNC_NEW_PASSPHRASE": passphrase]).status == 0)
        #expect(try lan.run("lock").status == 0)

        // Bình's laptop serves one LAN sync, as `fieldsync peer serve` on a commune office's network.
        let (peer, serving) = try Executables.start("fieldsync", ["--store", binh.store, "peer", "serve", "--host", "127.0.0.1", "--port", "0", "--once"],
                                                    until: "\n")
        defer { if peer.isRunning { peer.terminate() } }
        let peerAddress = try #require(serving.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init).first { $0.hasPrefix("127.0.0.1:") }, "\(serving)")

        let (app, printed) = try Executables.start("fieldsync", ["--store", lan.store, "app", "--no-browser"], until: "app.html")
        defer { if app.isRunning { app.terminate() } }
        let launch = try #require(printed.split(separator: " ").map(String.init).first { $0.hasSuffix("app.html") }, "\(printed)")
        let attributes = try FileManager.default.attributesOfItem(atPath: launch)
        #expect((attributes[.posixPermissions] as? Int) == 0o600, "the launch file is the user's alone")

        let out = ProcessInfo.processInfo.environment["FIELDSYNC_APP_SCREENSHOTS"]
            ?? ConsoleBrowserEndToEndTests.root.appendingPathComponent(".build/app-screenshots").path
        try? FileManager.default.removeItem(atPath: out)  // Losing this error is safe: the folder may not exist yet.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let script = ConsoleBrowserEndToEndTests.root.appendingPathComponent("Tools/app-browser-test.py").path
        let result = try Executables.run("/usr/bin/env", ["python3", script, "--launch", launch, "--passphrase", passphrase,
                                                              "--other-commune", "00008", "--peer-name", "Phạm Thị Gấm", "--peer-search", "pham thi gam",
                                                              "--conflict-words", "Đỗ Văn Nam|đã kích hoạt xong", "--peer-address", peerAddress,
                                                              "--out", out])
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(result.status == 0, "browser run: \(report["failure"] ?? result.stderr)")
        let pages = report["pages"] as? [String: Int] ?? [:]
        #expect(Set(pages.keys) == ["unlock", "today", "log", "log-error", "flagged", "session-form", "sessions", "search", "visit", "edit",
                                  "due", "sync", "lan", "today-after-sync", "closed"], "\(pages.keys.sorted())")
        let shots = report["screenshots"] as? [String] ?? []
        #expect(shots.count == 30 && shots.allSatisfy { FileManager.default.fileExists(atPath: $0) })

        // Thoát stopped the app, and removed its launch file.
        let deadline = Date().addingTimeInterval(20)
        while app.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.1) }
        #expect(!app.isRunning && app.terminationStatus == 0, "Thoát stops the app")
        #expect(!FileManager.default.fileExists(atPath: launch))

        // What the browser did is on the laptop and, after its sync, at the hub.
        let env = ["FIELDSYNC_PASSPHRASE": passphrase]
        let listed = try Executables.run("fieldsync", ["--store", lan.store, "list", "--json"], environment: env)
        let names = ((try? JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [NSDictionary]) ?? []).compactMap { $0["name"] as? String }
        for name in ["Trần Văn Bình", "Lê Thị Hoà", "Nguyễn Văn An", "Hoàng Văn Sơn", "Phạm Thị Gấm"] { #expect(names.contains(name), "\(name)") }
        let atHub = try hubVisits(hub).values.compactMap { $0["name"] as? String }
        for name in ["Trần Văn Bình", "Lê Thị Hoà", "Nguyễn Văn An", "Hoàng Văn Sơn"] { #expect(atHub.contains(name), "at the hub: \(name)") }
        // The LAN sync reached Bình's laptop: the visits logged in the app are there without the hub.
        let binhNames = try binh.visits().values.compactMap { $0["name"] as? String }
        for name in ["Trần Văn Bình", "Nguyễn Văn An"] { #expect(binhNames.contains(name), "over the LAN: \(name)") }
        let sessions = try Executables.run("fieldsync", ["--store", lan.store, "session", "list", "--json"], environment: env)
        #expect(sessions.stdout.contains("Nhà văn hoá thôn Đông"))
    }
}
