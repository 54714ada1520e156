import FieldSyncTesting
import Foundation
import HubPostgres
import HubServer
import HubCore
import HubSQLite
import Testing

/// The stores the contract suite runs on. PostgreSQL needs a server: `$FIELDSYNC_TEST_DATABASE`
/// (Tools/test.sh starts one with Tools/postgres.sh and sets it; with `FIELDSYNC_REQUIRE_POSTGRES=1`
/// its absence fails the suite instead of leaving PostgreSQL untested).
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static let serverURL: String? = ProcessInfo.processInfo.environment["FIELDSYNC_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }
    static let available: [Backend] = serverURL == nil ? [.sqlite] : [.sqlite, .postgres]

    /// Runs `body` with `count` hubs on one fresh store: for PostgreSQL, separate stores with their own
    /// connection pools on one new database (as separate hub processes); for SQLite, the one store a
    /// hub process owns, `count` times.
    /// - Parameter clock: the hubs' clock (a test that needs time to pass advances a `ManualClock`).
    func withHubs(_ count: Int = 1, clock: any HubClock = SystemClock(), _ body: @Sendable ([any HubStorage]) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let dir = TemporaryDirectory()
            let service = try HubService(path: dir.file("hub.sqlite"), clock: clock)
            try await body(Array(repeating: service, count: count))
        case .postgres:
            let url = try #require(Self.serverURL)
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let database = try await PostgresAdmin.createDatabase(server: url, name: String(name))
            do {
                try await Self.open(database, count: count, clock: clock, [], body)
            } catch {
                try await PostgresAdmin.dropDatabase(server: url, name: String(name))
                throw error
            }
            try await PostgresAdmin.dropDatabase(server: url, name: String(name))
        }
    }

    /// Runs `before` on a fresh store, backs the store up, runs `after` on it, then restores the backup (over the
    /// SQLite file, the high-water file beside it left as it was; for PostgreSQL a copy of the database as it was) and
    /// runs `restored` on a hub over it.
    func withBackup(clock: any HubClock, before: (any HubStorage) async throws -> Void,
                    after: (any HubStorage) async throws -> Void, restored: (any HubStorage) async throws -> Void) async throws {
        switch self {
        case .sqlite:
            let dir = TemporaryDirectory()
            let path = dir.file("hub.sqlite"), backup = dir.file("backup.sqlite")
            try await before(try HubService(path: path, clock: clock))
            // The service is gone: its connections closed, the WAL folded into the file.
            try FileManager.default.copyItem(atPath: path, toPath: backup)
            try await after(try HubService(path: path, clock: clock))
            for suffix in ["", "-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.removeItem(atPath: path + suffix)
            }
            try FileManager.default.copyItem(atPath: backup, toPath: path)
            try await restored(try HubService(path: path, clock: clock))
        case .postgres:
            let url = try #require(Self.serverURL)
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
            let (live, copy) = (String(name), String(name) + "_b")
            func dropBoth() async throws {
                try await PostgresAdmin.dropDatabase(server: url, name: live)
                try await PostgresAdmin.dropDatabase(server: url, name: copy)
            }
            do {
                let database = try await PostgresAdmin.createDatabase(server: url, name: live)
                try await PostgresHubStore.withStore(url: database, connections: 2, clock: clock) { try await before($0) }
                // Every connection of the pool is closed once `withStore` returns; the server may take a moment to see it.
                var backedUp: String?
                for _ in 0..<50 where backedUp == nil {
                    do {
                        backedUp = try await PostgresAdmin.createDatabase(server: url, name: copy, template: live)
                    } catch {
                        try await Task.sleep(for: .milliseconds(100))
                    }
                }
                let restoredURL = try #require(backedUp, "the database could not be copied")
                try await PostgresHubStore.withStore(url: database, connections: 2, clock: clock) { try await after($0) }
                try await PostgresHubStore.withStore(url: restoredURL, connections: 2, clock: clock) { try await restored($0) }
            } catch {
                try await dropBoth()
                throw error
            }
            try await dropBoth()
        }
    }

    private static func open(_ url: String, count: Int, clock: any HubClock, _ opened: [any HubStorage],
                             _ body: @Sendable ([any HubStorage]) async throws -> Void) async throws {
        if opened.count == count { return try await body(opened) }
        try await PostgresHubStore.withStore(url: url, connections: 8, clock: clock) { store in
            try await open(url, count: count, clock: clock, opened + [store], body)
        }
    }
}

@Suite struct BackendSetupTests {
    @Test func postgresIsThereWhenRequired() {
        if ProcessInfo.processInfo.environment["FIELDSYNC_REQUIRE_POSTGRES"] == "1" {
            #expect(Backend.serverURL != nil, "FIELDSYNC_TEST_DATABASE is not set: start a cluster with Tools/postgres.sh start")
        }
    }
}
