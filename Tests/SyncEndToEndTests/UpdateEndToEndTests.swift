import FieldSyncTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Issue 34 end to end with the real binaries: the operator signs and publishes a laptop package at the hub; a laptop
/// the hub refuses as too old still downloads it, resumes a download cut earlier, checks it and installs it, leaving its
/// store untouched; a package signed by another key, altered on the hub, or older than the installed one is refused
/// with nothing installed.
@Suite struct UpdateEndToEndTests {
    @Test func aPublishedPackageIsInstalledAndForgedAlteredOrOlderOnesAreNot() throws {
        let dir = TemporaryDirectory()
        let db = dir.file("hub.sqlite")
        let hub = try HubProcess(database: db)
        let key = dir.file("release.key")
        let made = try hub.command("release", "keygen", "--key", key)
        #expect(made.status == 0, "\(made)")
        let publicKey = dir.file("release-key.pub")
        try (made.output + "\n").write(toFile: publicKey, atomically: true, encoding: .utf8)
        #expect(try hub.command("release", "keygen", "--key", key).status != 0, "a release key is never replaced")

        // A laptop enrolled before any package was published pins no key at enrolment: it needs its package's.
        let binh = try Laptop(dir, "Binh")
        try binh.enroll(hub)

        // A package of 2.5 MiB (three pieces of 1 MiB): its bytes do not matter to the hub or the laptop's checks.
        let package = dir.file("fieldsync_0.4.0-2_amd64.deb")
        var generator = SeededRandom(seed: 34)
        let bytes = Data((0..<(5 << 19)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try bytes.write(to: URL(fileURLWithPath: package))
        #expect(try hub.command("release", "sign", package, "--key", key).status == 0)
        let published = try hub.command("release", "publish", package)
        #expect(published.status == 0 && published.output.contains("published fieldsync 0.4.0-2"), "\(published)")
        #expect(try hub.command("release", "publish", package).status != 0, "the same version again is refused")

        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Đỗ Văn Nam")
        let before = try lan.visits()
        // The hub now refuses this laptop's release: it may still update.
        _ = hub.terminate()
        hub.extraArguments = ["--min-client", "99.0.0"]
        try hub.restart()
        let refused = try lan.run("sync")
        #expect(refused.status != 0 && refused.stderr.contains("fieldsync update"), "too old to sync: \(refused)")

        let installed = dir.file("installed")
        try FileManager.default.createDirectory(atPath: installed, withIntermediateDirectories: true)
        let environment: [String: String?] = ["FIELDSYNC_RELEASE_KEY_FILE": publicKey, "FIELDSYNC_INSTALLED_VERSION": "0.4.0-1",
                                              "FIELDSYNC_INSTALL_COMMAND": "cp -t \(installed)"]
        func update(_ extra: [String: String?] = [:]) throws -> ProcessResult {
            try Executables.run("fieldsync", ["--store", lan.store, "update"], environment: environment.merging(extra) { $1 })
        }
        // A download cut after its first piece: what came is kept and the rest fetched.
        let folder = dir.path + "/.fieldsync-update"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try bytes.prefix(1 << 20).write(to: URL(fileURLWithPath: folder + "/fieldsync_0.4.0-2_amd64.deb.part"))
        let done = try update()
        #expect(done.status == 0 && done.output.contains("Release 0.4.0-2 installed"), "\(done)")
        #expect(FileManager.default.contents(atPath: installed + "/fieldsync_0.4.0-2_amd64.deb") == bytes, "installed whole")
        #expect(try lan.visits() == before, "the store is untouched")
        #expect(try update(["FIELDSYNC_INSTALLED_VERSION": "0.4.0-2"]).output.contains("latest release (0.4.0-2)"))
        // The key was pinned at enrolment: without the package's key file the manifest is still checked against it.
        let noFile: [String: String?] = ["FIELDSYNC_RELEASE_KEY_FILE": dir.file("none.pub"), "FIELDSYNC_INSTALLED_VERSION": "0.4.0-2"]
        #expect(try update(noFile).output.contains("latest release (0.4.0-2)"))
        let unpinned = try Executables.run("fieldsync", ["--store", binh.store, "update"], environment: environment.merging(noFile) { $1 })
        #expect(unpinned.status != 0 && unpinned.stderr.contains("no release key is pinned"), "\(unpinned)")

        let older = try update(["FIELDSYNC_INSTALLED_VERSION": "0.5.0-1"])
        #expect(older.status != 0 && older.stderr.contains("older than the installed 0.5.0-1"), "\(older)")

        // The file altered on the hub after publishing: downloaded, refused, not installed.
        try FileManager.default.removeItem(atPath: installed + "/fieldsync_0.4.0-2_amd64.deb")
        var altered = bytes
        altered[2_000_000] ^= 0xff
        try altered.write(to: URL(fileURLWithPath: db + ".releases/fieldsync_0.4.0-2_amd64.deb"))
        let tampered = try update()
        #expect(tampered.status != 0 && tampered.stderr.contains("not the one signed"), "\(tampered)")
        #expect(!FileManager.default.fileExists(atPath: installed + "/fieldsync_0.4.0-2_amd64.deb"), "nothing installed")

        // A newer package signed by another key, put on the hub's shelf behind the operator's back: refused before download.
        let otherKey = dir.file("other.key")
        let otherMade = try hub.command("release", "keygen", "--key", otherKey)
        #expect(otherMade.status == 0)
        // A package key file that is not the key the hub gave at enrolment: one of them is not the province's.
        let otherPublic = dir.file("other-key.pub")
        try (otherMade.output + "\n").write(toFile: otherPublic, atomically: true, encoding: .utf8)
        let differ = try update(["FIELDSYNC_RELEASE_KEY_FILE": otherPublic])
        #expect(differ.status != 0 && differ.stderr.contains("differs from the installed package's"), "\(differ)")
        let forged = dir.file("fieldsync_0.4.0-3_amd64.deb")
        try bytes.write(to: URL(fileURLWithPath: forged))
        #expect(try hub.command("release", "sign", forged, "--key", otherKey).status == 0)
        let refusedPublish = try hub.command("release", "publish", forged)
        #expect(refusedPublish.status != 0 && refusedPublish.stderr.contains("not signed by the pinned release key"), "\(refusedPublish)")
        try FileManager.default.copyItem(atPath: forged, toPath: db + ".releases/fieldsync_0.4.0-3_amd64.deb")
        try FileManager.default.copyItem(atPath: forged + ".release.json", toPath: db + ".releases/fieldsync_0.4.0-3_amd64.deb.release.json")
        let fake = try update()
        #expect(fake.status != 0 && fake.stderr.contains("not signed by the pinned release key"), "\(fake)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: installed).isEmpty, "nothing installed")
        let vietnamese = try Executables.run("fieldsync", ["--store", lan.store, "update"], environment: environment.merging(["FIELDSYNC_LANG": nil]) { $1 })
        #expect(vietnamese.stderr.contains("không có chữ ký của khóa phát hành"), "\(vietnamese)")
    }

    /// The app's update button: the same check, download and install as `fieldsync update`, against the key pinned at
    /// enrolment; a second laptop whose installing needs an administrator's password is told the one command to run.
    @Test func theAppsUpdateButtonInstallsAPublishedPackage() async throws {
        let dir = TemporaryDirectory()
        let db = dir.file("hub.sqlite")
        let hub = try HubProcess(database: db)
        let key = dir.file("release.key")
        #expect(try hub.command("release", "keygen", "--key", key).status == 0)
        let package = dir.file("fieldsync_0.4.0-2_amd64.deb")
        let bytes = Data((0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
        try bytes.write(to: URL(fileURLWithPath: package))
        #expect(try hub.command("release", "sign", package, "--key", key).status == 0)
        #expect(try hub.command("release", "publish", package).status == 0)
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Đỗ Văn Nam")
        let before = try lan.visits()

        let installed = dir.file("installed")
        try FileManager.default.createDirectory(atPath: installed, withIntermediateDirectories: true)
        // No package key file: the key comes from the enrolment.
        let environment = ["FIELDSYNC_RELEASE_KEY_FILE": dir.file("none.pub"), "FIELDSYNC_INSTALLED_VERSION": "0.4.0-1",
                           "FIELDSYNC_INSTALL_COMMAND": "cp -t \(installed)"]
        func press(_ environment: [String: String]) async throws -> String {
            let (app, printed) = try Executables.start("fieldsync", ["--store", lan.store, "app", "--no-browser"], until: "app.html",
                                                       environment: environment)
            defer { if app.isRunning { app.terminate() } }
            let launch = try #require(printed.split(separator: " ").map(String.init).first { $0.hasSuffix("app.html") }, "\(printed)")
            let page = try String(contentsOfFile: launch, encoding: .utf8)
            let door = try #require(page.range(of: "url=").map { String(page[$0.upperBound...].prefix { $0 != "\"" }) })
            let origin = String(door[..<(try #require(door.range(of: "/open?key="))).lowerBound])
            let session = URLSession(configuration: .ephemeral)
            let (_, opened) = try await session.data(from: try #require(URL(string: door)))
            let cookie = try #require((opened as? HTTPURLResponse)?.value(forHTTPHeaderField: "Set-Cookie")?.split(separator: ";").first.map(String.init))
            var get = URLRequest(url: try #require(URL(string: origin + "/sync")))
            get.setValue(cookie, forHTTPHeaderField: "Cookie")
            let syncPage = String(decoding: try await session.data(for: get).0, as: UTF8.self)
            #expect(syncPage.contains("id=\"update\"") && syncPage.contains("Bản đang chạy"), "the sync page offers the update")
            let start = try #require(syncPage.range(of: "name=\"csrf\" value=\""))
            let csrf = String(syncPage[start.upperBound...].prefix { $0 != "\"" })
            var post = URLRequest(url: try #require(URL(string: origin + "/update")))
            post.httpMethod = "POST"
            post.setValue(cookie, forHTTPHeaderField: "Cookie")
            post.setValue(origin, forHTTPHeaderField: "Origin")
            post.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            post.httpBody = Data("csrf=\(csrf)".utf8)
            // The update runs in the background; the sync page shows its progress, then its outcome.
            var shown = String(decoding: try await session.data(for: post).0, as: UTF8.self)
            for _ in 0..<300 where !shown.contains("id=\"update-summary\"") && !shown.contains("id=\"update-failure\"") {
                try await Task.sleep(for: .milliseconds(100))
                shown = String(decoding: try await session.data(for: get).0, as: UTF8.self)
            }
            return shown
        }
        let done = try await press(environment)
        #expect(done.contains("Đã cài bản 0.4.0-2"), "\(done)")
        #expect(FileManager.default.contents(atPath: installed + "/fieldsync_0.4.0-2_amd64.deb") == bytes, "installed whole")
        #expect(try lan.visits() == before, "the store is untouched")

        // Installing fails (an administrator's password would be needed): the checked package stays, with the command.
        let manual = try await press(environment.merging(["FIELDSYNC_INSTALL_COMMAND": "false"]) { $1 })
        #expect(manual.contains("Đã tải và kiểm tra bản 0.4.0-2") && manual.contains("chạy false /") && manual.contains(".fieldsync-update/fieldsync_0.4.0-2_amd64.deb"),
                "\(manual)")
        let current = try await press(environment.merging(["FIELDSYNC_INSTALLED_VERSION": "0.4.0-2"]) { $1 })
        #expect(current.contains("Máy này đã có bản mới nhất (0.4.0-2)"), "\(current)")
        // A hub that is gone: the page says why, nothing is installed.
        _ = hub.terminate()
        let gone = try await press(environment)
        #expect(gone.contains("id=\"update-failure\""), "\(gone)")
    }
}
