import FieldStore
import FieldSyncTesting
import Foundation
import Testing

/// LAN sync between laptops (Protocol/README.md §9.1) with the real binaries on loopback: two laptops
/// of one commune exchange their visits without the hub, then both sync with the hub: nothing sent
/// twice, nothing lost, no conflict; a chain A↔B, B↔hub, A↔hub converges; untrusted laptops are refused.
@Suite struct PeerEndToEndTests {
    /// `fieldsync peer serve --port 0 --once` on `laptop` (on loopback, or in the first of `network`'s
    /// namespaces), and the address it printed.
    final class Server {
        let process = Process()
        let output = Pipe()
        let address: String

        init(_ laptop: Laptop, on network: NetworkNamespaces? = nil) throws {
            let arguments = ["--store", laptop.store, "peer", "serve", "--host", network?.addresses[0] ?? "127.0.0.1", "--port", "0", "--once"]
            let (program, wrapped) = network?.command(in: 0, "fieldsync", arguments) ?? (Executables.path("fieldsync"), arguments)
            process.executableURL = URL(fileURLWithPath: program)
            process.arguments = wrapped
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            var text = ""
            let deadline = Date().addingTimeInterval(20)
            while !text.contains("\n"), Date() < deadline {
                let chunk = output.fileHandleForReading.availableData
                if chunk.isEmpty { break }
                text += String(decoding: chunk, as: UTF8.self)
            }
            address = text.components(separatedBy: "serving on ").last?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        }

        /// What it printed after its address, once it stopped (at once when `waiting` is false: a refused sync never ends a `--once`).
        func finish(waiting: Bool = true) -> String {
            let deadline = Date().addingTimeInterval(waiting ? 10 : 0)
            while process.isRunning, Date() < deadline { usleep(20_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        }
    }

    @Test(.timeLimit(.minutes(3))) func twoLaptopsSyncOnTheLANThenWithTheHubWithoutDuplicatesLossOrFalseConflicts() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình"), cuc = try Laptop(dir, "Cúc")
        try lan.enroll(hub)
        try binh.enroll(hub)
        try cuc.enroll(hub)
        let shared = try lan.log("Trần Văn Bình")
        try lan.sync()
        try binh.sync()
        // Offline from here: both log, and both edit the shared visit (different fields: no real conflict).
        let lans = try ["Hoàng Thị Xoan", "Đinh Văn Lực"].map { try lan.log($0) }
        let binhs = try ["Vũ Văn Sơn"].map { try binh.log($0) }
        #expect(try lan.run("edit", shared, "--note", "gọi lại thứ Hai").status == 0)
        #expect(try binh.run("edit", shared, "--phone", "0987000333").status == 0)

        let server = try Server(lan)
        let synced = try binh.run("peer", "sync", server.address)
        #expect(synced.status == 0 && synced.stdout.contains("synced with"), "\(synced)")
        #expect(server.finish().contains("đã đồng bộ với"), "Vietnamese by default")
        let gone = try binh.run("peer", "sync", server.address)
        #expect(gone.status != 0 && gone.stderr.contains("cannot reach the other laptop"), "the server stopped after one sync: \(gone)")
        let all = Set([shared] + lans + binhs)
        #expect(try Set(lan.visits().keys) == all && Set(binh.visits().keys) == all, "both laptops hold every visit")
        for laptop in [lan, binh] {
            let visit = try #require(try laptop.visits()[shared])
            #expect(visit["note"] as? String == "gọi lại thứ Hai" && visit["phone"] as? String == "0987000333", "\(laptop.name): \(visit)")
        }

        // A chain: Bình reaches the hub first, Lan last; Cúc pulls.
        let binhSync = try binh.sync()
        #expect(binhSync["pushed"] as? Int == 2 && binhSync["conflicts"] as? Int == 0, "Bình sends its own writes only: \(binhSync)")
        let lanSync = try lan.sync()
        #expect(lanSync["pushed"] as? Int == 3 && lanSync["conflicts"] as? Int == 0 && lanSync["pulled"] as? Int == 0, "\(lanSync)")
        try cuc.sync()
        let atHub = try hubVisits(hub)
        #expect(Set(atHub.keys) == all)
        #expect(atHub[shared]?["note"] as? String == "gọi lại thứ Hai" && atHub[shared]?["phone"] as? String == "0987000333")
        for laptop in [lan, binh, cuc] { #expect(try Set(laptop.visits().keys) == all, "\(laptop.name)") }
        let conflicts = try hub.command("conflicts", "list", "--status", "all", "--json")
        let entries = try JSONSerialization.jsonObject(with: Data(conflicts.stdout.utf8)) as? [Any]
        #expect(conflicts.status == 0 && entries?.isEmpty == true, "no conflict was reported: \(conflicts.stdout.prefix(300))")

        // A laptop of another commune, and a revoked one, are refused; nothing is exchanged.
        let other = try Laptop(dir, "Dũng", commune: "00008")
        try other.enroll(hub, commune: "00008")
        let otherServer = try Server(other)
        let refused = try lan.run("peer", "sync", otherServer.address)
        #expect(refused.status != 0 && refused.stderr.contains("commune"), "\(refused)")
        _ = otherServer.finish(waiting: false)
        let cucDevice = try #require(try FieldStore.open(at: cuc.store).enrollment()?.device)
        #expect(try hub.command("devices", "revoke", cucDevice).status == 0)
        try lan.sync()  // brings the revocation
        _ = try cuc.log("Ngô Thị Yến")
        let lanServer = try Server(lan)
        let revoked = try cuc.run("peer", "sync", lanServer.address)
        #expect(revoked.status != 0 && revoked.stderr.contains("revoked"), "\(revoked)")
        _ = lanServer.finish(waiting: false)
        #expect(try Set(lan.visits().keys) == all, "nothing came from the revoked laptop")
        #expect(hub.terminate() == 0)
    }

    /// Two laptops on a LAN of their own (two network namespaces joined by a veth pair, no route to the
    /// hub) sync with each other; later, each syncs with the hub: every visit reaches it once, none is lost.
    @Test(.enabled(if: NetworkNamespaces.available, "needs root and network namespaces"), .timeLimit(.minutes(3)))
    func twoLaptopsInTheirOwnNetworkNamespacesSyncThenReachTheHub() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let an = try Laptop(dir, "An"), giang = try Laptop(dir, "Giang")
        try an.enroll(hub)
        try giang.enroll(hub)
        let ans = try (0..<3).map { try an.log("Lý Thị Hoa \($0)") }
        let giangs = try (0..<2).map { try giang.log("Phan Văn Tâm \($0)") }
        try an.sync()  // the hub holds An's visits and hands both laptops their certificates at enrolment
        try giang.sync()
        let offline = try an.log("Đỗ Minh Khoa")  // logged in the commune office, away from any network

        let network = try NetworkNamespaces(tag: "peer")
        let unreachable = try network.run(in: 1, "fieldsync", ["--store", giang.store, "sync", "--json"])
        #expect(unreachable.status != 0, "the LAN has no route to the hub: \(unreachable)")
        let server = try Server(an, on: network)
        #expect(server.address.hasPrefix("\(network.addresses[0]):"), "it serves on the LAN: \(server.address)")
        let synced = try network.run(in: 1, "fieldsync", ["--store", giang.store, "peer", "sync", server.address])
        #expect(synced.status == 0 && synced.stdout.contains("synced with"), "\(synced)")
        #expect(server.finish().contains("đã đồng bộ với"), "Vietnamese by default")
        let all = Set(ans + giangs + [offline])
        #expect(try Set(an.visits().keys) == all && Set(giang.visits().keys) == all, "both laptops hold every visit")

        // Giang reaches the hub first and sends nothing An wrote; An then sends its one new visit.
        let giangSync = try giang.sync()
        #expect(giangSync["pushed"] as? Int == 0 && giangSync["conflicts"] as? Int == 0, "\(giangSync)")
        let anSync = try an.sync()
        #expect(anSync["pushed"] as? Int == 1 && anSync["conflicts"] as? Int == 0, "\(anSync)")
        try giang.sync()
        #expect(try Set(hubVisits(hub).keys) == all)
        #expect(try Set(an.visits().keys) == all && Set(giang.visits().keys) == all, "the two laptops converge")
        #expect(hub.terminate() == 0)
    }

    /// A LAN host that asks for hello after hello stores nothing on the serving laptop and locks no one out: a real
    /// laptop syncs right after 500 hellos (the nonces are stateless: a MAC and an expiry, §9.1).
    @Test(.timeLimit(.minutes(5))) func helloAfterHelloLocksNoLaptopOut() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        _ = try binh.log("Phan Văn Tâm")
        let server = try Server(lan)
        for _ in 0..<500 { #expect(try await HTTP.send("GET", "http://\(server.address)/peer/hello").status == 200) }
        let synced = try binh.run("peer", "sync", server.address)
        #expect(synced.status == 0 && synced.stdout.contains("synced with"), "\(synced)")
        _ = server.finish(waiting: false)
        #expect(hub.terminate() == 0)
    }
}
