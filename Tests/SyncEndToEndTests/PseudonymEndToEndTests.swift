import CitizenPseudonym
import FieldStore
import FieldSyncTesting
import Foundation
import SQLiteKit
import SyncProtocol
import Testing

/// Citizen IDs through the real binaries (issue 15): laptops get pseudonyms the hub computes without
/// seeing the ID, the same CCCD matches across laptops, a token is no brute-force oracle, and a
/// rotated key is re-derived by the laptop that holds the ID.
@Suite(.serialized) struct PseudonymEndToEndTests {
    /// Every byte of the hub's database files.
    func databaseBytes(_ hub: HubProcess) -> Data {
        ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            // Losing this error is safe: a file that is not there has no bytes to search.
            if let bytes = try? Data(contentsOf: URL(fileURLWithPath: hub.database + suffix)) { data.append(bytes) }
        }
    }

    func pseudonym(_ laptop: Laptop, _ visit: String) throws -> String? {
        try FieldStore.open(at: laptop.store).visit(exactly: visit)?.visit.citizenID?.keyedHash
    }

    func hubPseudonyms(_ hub: HubProcess) throws -> [String] {
        let db = try Database(path: hub.database, mode: .readOnly)
        return try db.query("SELECT cccd_hash FROM records WHERE cccd_hash IS NOT NULL ORDER BY id") { $0.text(0) ?? "" }
    }

    @Test func twoLaptopsMatchACitizenTheHubNeverSeesAndATokenIsNoOracle() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: ["--pseudonyms-per-day", "3"])
        let a = try Laptop(dir, "Lan"), b = try Laptop(dir, "Bình")
        // Logged before enrolment: pending until the first sync.
        let first = try a.log("Hoàng Văn Em", service: "e-wallet", extra: ["--cccd", "001203000123"])
        #expect(try pseudonym(a, first) == nil)
        try a.enroll(hub)
        try b.enroll(hub)
        let second = try b.log("Hoàng Văn Em", service: "e-wallet", extra: ["--cccd", "001 2 03 000123"])
        #expect(try a.sync()["pseudonyms"] as? Int == 1)
        #expect(try b.sync()["pseudonyms"] as? Int == 1)

        let mine = try #require(try pseudonym(a, first)), theirs = try #require(try pseudonym(b, second))
        #expect(mine == theirs && mine.hasPrefix("p1.") && mine.count == 99, "the same CCCD, the same pseudonym on both laptops")
        #expect(try hubPseudonyms(hub) == [mine, mine].sorted())
        let duplicates = try hub.command("report", "duplicates", "--format", "json").stdout
        #expect(duplicates.contains(first) && duplicates.contains(second) && duplicates.contains("********0123"),
                "the hub finds the duplicate by pseudonym: \(duplicates)")

        // No hub byte holds the CCCD; the database holds no key.
        let bytes = databaseBytes(hub)
        #expect(!bytes.isEmpty && bytes.range(of: Data("001203000123".utf8)) == nil)
        let keyFile = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: hub.database + ".keys"))) as? [String: Any]
        let keyHex = try #require(keyFile?["pseudonymKey"] as? String)
        let keyBytes = try #require(CitizenPseudonym.bytes(hex: keyHex))
        #expect(keyBytes.count == 48 && bytes.range(of: Data(keyHex.utf8)) == nil && bytes.range(of: keyBytes) == nil,
                "the OPRF key is in the key file only")

        // Over its daily allowance a laptop keeps syncing; the rest wait. The token alone gets 429.
        for n in 1...3 { _ = try a.log("Công dân \(n)", extra: ["--cccd", "00120300100\(n)"]) }
        let limited = try a.sync()
        #expect(limited["pseudonyms"] as? Int == 2 && limited["pseudonymsWaiting"] as? Int == 1, "\(limited)")
        #expect(try hubVisits(hub).count == 5, "every visit reached the hub, the waiting one without its pseudonym")
        let token = try #require(try FieldStore.open(at: a.store).enrollment()?.token)
        let blinded = try CitizenPseudonym.blind(["001203001009"]).map { CitizenPseudonym.hex($0.request) }
        let refused = try await HTTP.send("POST", hub.url + "/v1/pseudonyms", token: token,
                                          body: try WireJSON.encoder.encode(PseudonymRequest(blinded: blinded)))
        #expect(refused.status == 429 && refused.errorCode == "too_many_requests")
        let message = ((refused.json["error"] as? [String: Any])?["message"] as? String) ?? ""
        #expect(message.contains("3 citizen-ID pseudonyms for today") && message.contains("tomorrow"), "\(message)")
        let garbage = try await HTTP.send("POST", hub.url + "/v1/pseudonyms", token: token, body: Data(#"{"blinded":["zz"]}"#.utf8))
        #expect(garbage.status == 400)
        #expect(hub.terminate() == 0)
        let log = (try? String(contentsOfFile: hub.logPath, encoding: .utf8)) ?? ""
        #expect(log.contains("pseudonyms evaluated") && log.contains("pseudonyms refused"), "the hub's log counts evaluations")
    }

    @Test func aRotatedKeyIsReDerivedByTheLaptopThatHoldsTheID() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        let visit = try a.log("Trần Văn Bình", extra: ["--cccd", "079190123456"])
        try a.sync()
        let before = try #require(try pseudonym(a, visit))
        #expect(before.hasPrefix("p1."))
        #expect(hub.terminate() == 0)
        let rotate = try hub.command("keys", "rotate")
        #expect(rotate.status == 0 && rotate.stdout.contains("version 2"), "\(rotate)")
        try hub.start(port: hub.port)
        let synced = try a.sync()
        #expect(synced["pseudonyms"] as? Int == 1 && synced["pushed"] as? Int == 1, "\(synced)")
        let after = try #require(try pseudonym(a, visit))
        #expect(after.hasPrefix("p2.") && after != before)
        #expect(try hubPseudonyms(hub) == [after], "the hub took the re-derived pseudonym as the same write")
        #expect(try a.sync()["pushed"] as? Int == 0, "and it is not sent again")
        #expect(hub.terminate() == 0)
    }
}
