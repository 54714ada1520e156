import FieldStore
import FieldSyncTesting
import Foundation
import Testing

/// The console in a real browser: Debian's chromium, driven by Tools/browser-test.py (selenium and
/// chromium-driver), against the real `fieldsync-server` that real laptops synced with. Screenshots at
/// 412 and 1280 px go to `.build/console-screenshots` (or `$FIELDSYNC_SCREENSHOTS`). Tools/test.sh
/// installs chromium and requires this test (`FIELDSYNC_REQUIRE_BROWSER=1`); elsewhere it is skipped
/// when chromium is missing.
@Suite struct ConsoleBrowserEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let browserAvailable = FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium")
        && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver")
    static let required = ProcessInfo.processInfo.environment["FIELDSYNC_REQUIRE_BROWSER"] == "1"

    @Test(.enabled(if: browserAvailable || required, "chromium and chromium-driver are not installed (Tools/setup.sh --protocol)"))
    func aCoordinatorWorksThroughTheConsoleInChromium() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        _ = try lan.log("Trần Văn Bình", service: "e-wallet", extra: ["--phone", "0971234567"])
        _ = try lan.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
        _ = try binh.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
        let visit = try lan.log("Đỗ Văn Nam")
        try lan.sync()
        try binh.sync()
        #expect(try lan.run("edit", visit, "--note", "hẹn quay lại thứ Hai").status == 0)
        #expect(try binh.run("edit", visit, "--note", "đã kích hoạt xong").status == 0)
        try lan.sync()
        try binh.sync()
        let code = try hub.command("enrollment-code", "--role", "coordinator", "--commune", "00004")
        #expect(code.status == 0)
        let binhDevice = try #require(try FieldStore.open(at: binh.store).enrollment()?.device)

        let out = ProcessInfo.processInfo.environment["FIELDSYNC_SCREENSHOTS"]
            ?? Self.root.appendingPathComponent(".build/console-screenshots").path
        try? FileManager.default.removeItem(atPath: out)  // Losing this error is safe: the folder may not exist yet.
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let script = Self.root.appendingPathComponent("Tools/browser-test.py").path
        let result = try Executables.run("/usr/bin/env", ["python3", script, "--base", hub.url, "--code", code.output,
                                                              "--revoke", binhDevice, "--search", "tran van binh",
                                                              "--expect", "Trần Văn Bình", "--out", out])
        let report = (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]) ?? [:]
        #expect(result.status == 0, "browser run: \(report["failure"] ?? result.stderr)")
        let pages = report["pages"] as? [String: Int] ?? [:]
        #expect(Set(pages.keys) == ["sign-in", "overview", "visits", "visit", "conflicts", "duplicates", "devices", "quarantine",
                                  "exports", "confirm-conflict", "confirm-revoke"])
        #expect(pages.values.allSatisfy { $0 < 200_000 }, "page weights: \(pages)")
        let shots = report["screenshots"] as? [String] ?? []
        #expect(shots.count == 22 && shots.allSatisfy { FileManager.default.fileExists(atPath: $0) })
        #expect((report["checks"] as? [String])?.contains("XLSX: commune 00004 stays text") == true)

        // What the browser did reached the laptops: the duplicate's deletion and the conflict's resolution.
        try lan.sync()
        try binh.sync(expectSuccess: false)  // revoked in the browser: refused
        #expect((try binh.run("sync")).status != 0)
        #expect(try lan.visits().values.contains { ($0["note"] as? String)?.contains("duplicate of") == true })
        let chosen = report["chosen"] as? [String] ?? []
        let note = try lan.visits()[visit]?["note"] as? String
        #expect(chosen.count == 1 && note == chosen.first,
                "the value chosen in the browser reaches the laptops: \(chosen)")
    }
}
