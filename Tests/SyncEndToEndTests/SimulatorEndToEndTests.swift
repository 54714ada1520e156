import FieldSyncTesting
import Foundation
import HubPostgres
import Testing

/// A small seeded fleet with every fault on: hub SIGKILLs and a full disk, dropped, duplicated and
/// reordered requests, a restored laptop, a clock a year ahead. Nothing may be lost or diverge.
@Suite(.serialized) struct SimulatorEndToEndTests {
    @Test(arguments: [11, 12] as [UInt64])
    func aFleetWithEveryFaultConverges(seed: UInt64) throws {
        let result = try Executables.run("fieldsync-sim", ["--devices", "20", "--visits", "20", "--faults", "all",
                                                          "--seed", "\(seed)", "--lanes", "6"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("OK: every laptop equals the hub"), "\(result)")
        #expect(result.stdout.contains("drop") && result.stdout.contains("restored laptops"), "faults were injected: \(result.stdout)")
    }
}

/// Three real hub processes on one PostgreSQL database behind a random load balancer, one of them
/// killed with SIGKILL and restarted at random, with every laptop fault on: every laptop equals the
/// store, every visit logged is there, every conflict a laptop found is there.
@Suite(.serialized) struct MultiHubEndToEndTests {
    static let server = ProcessInfo.processInfo.environment["FIELDSYNC_TEST_DATABASE"].flatMap { $0.isEmpty ? nil : $0 }

    @Test(.enabled(if: server != nil, "needs FIELDSYNC_TEST_DATABASE (Tools/postgres.sh start)"), arguments: [21, 22] as [UInt64])
    func threeHubsOnPostgresConvergeWhileOneIsKilled(seed: UInt64) async throws {
        let server = try #require(Self.server)
        let name = "sim_\(seed)_\(UInt32.random(in: 0...UInt32.max))"
        let url = try await PostgresAdmin.createDatabase(server: server, name: name)
        let result = try Executables.run("fieldsync-sim", ["--devices", "16", "--visits", "40", "--faults", "all", "--seed", "\(seed)",
                                                          "--lanes", "6", "--database", url, "--hubs", "3"])
        try await PostgresAdmin.dropDatabase(server: server, name: name)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("3 hub process(es) on PostgreSQL"), "\(result.stdout)")
        #expect(result.stdout.contains("OK: every laptop equals the hub"), "\(result)")
        #expect(result.stdout.contains("hub restarts") && !result.stdout.contains("hub restarts 0,"), "a hub was killed: \(result.stdout)")
    }
}

extension MultiHubEndToEndTests {
    /// The real `fieldsync` on two laptops through two hub processes on one PostgreSQL database, one
    /// hub killed and restarted; then the operator's commands on the same database.
    @Test(.enabled(if: server != nil, "needs FIELDSYNC_TEST_DATABASE (Tools/postgres.sh start)"))
    func laptopsSyncThroughTwoHubProcessesAndTheCommandsReadTheSameStore() async throws {
        let server = try #require(Self.server)
        let name = "cli_\(UInt32.random(in: 0...UInt32.max))"
        let url = try await PostgresAdmin.createDatabase(server: server, name: name)
        let dir = TemporaryDirectory()
        let first = try HubProcess(database: url, log: dir.file("hub-1.log"))
        let second = try HubProcess(database: url, log: dir.file("hub-2.log"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(first)
        try binh.enroll(second)
        let visit = try lan.log("Trần Văn Đức")
        try lan.sync()
        first.kill()
        var seen = false
        for _ in 0..<50 where !seen {
            try binh.sync()
            seen = try binh.visits()[visit] != nil
            if !seen { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(seen, "a visit pushed through one hub reaches a laptop through the other")
        #expect(try lan.run("log", "--service", "bank-account", "--outcome", "done", "--name", "Lê Thị Hoà").status == 0)
        #expect(try lan.run("sync").status != 0, "its hub is down")
        try first.restart()
        try lan.sync()

        let exported = try hubVisits(second)
        #expect(exported.count == 2 && exported[visit]?["name"] as? String == "Trần Văn Đức")
        let report = try second.command("report", "merge", "--format", "json")
        #expect(report.status == 0 && report.stdout.contains("\"received\" : 2"), "\(report)")
        let devices = try first.command("devices", "list", "--json")
        #expect(devices.status == 0 && devices.stdout.components(separatedBy: "\"id\"").count == 3, "\(devices)")
        // `duplicates resolve` works on PostgreSQL as on SQLite, with the ids' last 8 characters.
        let ids = try (0..<2).map { _ in try lan.log("Hoàng Văn Em", extra: ["--cccd", "001203000123"]) }
        try lan.sync()
        let resolved = try second.command("duplicates", "resolve", String(ids[1].suffix(8)), "--keep", String(ids[0].suffix(8)), "--by", "Hải")
        #expect(resolved.status == 0 && resolved.stdout.contains(String(ids[1].suffix(8))), "\(resolved)")
        #expect(try hubVisits(second)[ids[1]]?["deleted"] as? Bool == true)
        first.terminate()
        second.terminate()
        try await PostgresAdmin.dropDatabase(server: server, name: name)
    }
}
