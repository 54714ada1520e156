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
