import FieldStore
import FieldSyncTesting
import Foundation
import Synchronization
import Testing
@testable import FieldApp

/// The app's life (issue 32): it listens on 127.0.0.1 only, writes its launch file for this user alone, and stops by
/// itself after its idle time, removing the file.
@Suite struct AppServerTests {
    @Test func itListensOnLoopbackOnlyAndStopsWhenIdle() async throws {
        let dir = TemporaryDirectory()
        _ = try FieldStore.create(at: dir.file("store.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004")
        let seen = Mutex<(file: String, address: String)?>(nil)
        let server = AppServer(storePath: dir.file("store.sqlite"), idle: .seconds(1), launchFolder: dir.path)
        let started = ContinuousClock.now
        try await server.run { file, address in
            let mode = (try? FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) ?? nil
            #expect(mode == 0o600, "the launch file is readable by this user alone")
            seen.withLock { $0 = (file, address) }
        }
        let elapsed = ContinuousClock.now - started
        let (file, address) = try #require(seen.withLock { $0 })
        #expect(address.hasPrefix("http://127.0.0.1:"), "loopback only: \(address)")
        #expect(elapsed >= .seconds(1), "not before its idle time (\(elapsed)); returning at all is the stop")
        #expect(!FileManager.default.fileExists(atPath: file), "the launch file is gone once the app stopped")
    }

    @Test func aMissingStoreIsToldBeforeAnythingListens() async throws {
        let dir = TemporaryDirectory()
        let server = AppServer(storePath: dir.file("none.sqlite"), launchFolder: dir.path)
        await #expect(throws: StoreError.self) { try await server.run { _, _ in Issue.record("it listened") } }
        #expect(!FileManager.default.fileExists(atPath: dir.file("app.html")))
    }
}
