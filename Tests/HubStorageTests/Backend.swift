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
