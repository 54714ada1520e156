import FieldSyncTesting
import Foundation
import Testing

/// The encrypted laptop store through the real binaries (issue 15, item 3).
@Suite(.serialized) struct EncryptedStoreEndToEndTests {
    let secrets = ["Đặng Thị Thu Trang", "0987654321", "nhà cuối ngõ 7", "001203054321"]

    func leaked(_ laptop: Laptop) -> [String] {
        let bytes = ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            // Losing this error is safe: a file that is not there has no bytes to search.
            if let more = try? Data(contentsOf: URL(fileURLWithPath: laptop.store + suffix)) { data.append(more) }
        }
        return secrets.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    @Test func aCopiedStoreRevealsNoCitizenAndALostPassphraseIsRecoveredThroughTheOperator() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        let visit = try lan.log(secrets[0], extra: ["--phone", secrets[1], "--note", secrets[2], "--cccd", secrets[3]])
        let passphrase = ["FIELDSYNC_NEW_PASSPHRASE": "con mèo trèo cây cau"]
        let set = try Executables.run("fieldsync", ["--store", lan.store, "passphrase"], environment: passphrase)
        #expect(set.status == 0 && set.stderr.contains("now encrypted"), "\(set)")
        #expect(leaked(lan).isEmpty, "encrypted in place: \(leaked(lan))")
        _ = try lan.run("lock")

        // Locked: `log` works, reading says how to unlock, a wrong passphrase is refused.
        let second = try lan.log("Vũ Văn Nam")
        let refused = try lan.run("list")
        #expect(refused.status != 0 && refused.stderr.contains("fieldsync unlock"), "\(refused)")
        let wrong = try Executables.run("fieldsync", ["--store", lan.store, "list"], environment: ["FIELDSYNC_PASSPHRASE": "sai mật khẩu"])
        #expect(wrong.status != 0 && wrong.stderr.contains("wrong passphrase"), "\(wrong)")

        // Enrol and sync unlocked: the hub gets the visits, the laptop's file still holds nothing readable.
        let unlocked = ["FIELDSYNC_PASSPHRASE": "con mèo trèo cây cau"]
        let code = try hub.enrollmentCode(team: "T-01", commune: "00004")
        #expect(try Executables.run("fieldsync", ["--store", lan.store, "enroll", "--server", hub.url, "--code", code],
                                    environment: unlocked).status == 0)
        let synced = try Executables.run("fieldsync", ["--store", lan.store, "sync", "--json"], environment: unlocked)
        #expect(synced.status == 0 && synced.stdout.contains("\"pseudonyms\" : 1"), "\(synced)")
        let atHub = try hubVisits(hub)
        #expect(atHub[visit]?["name"] as? String == secrets[0] && atHub[second] != nil)
        #expect(leaked(lan).isEmpty, "after a sync: \(leaked(lan))")

        // The volunteer left: the operator recovers the store with the hub's recovery key.
        _ = try lan.run("lock")
        let request = dir.file("request.json"), answer = dir.file("answer.txt")
        #expect(try lan.run("recover", "--request", request).status == 0)
        let answered = try hub.command("recover-store", request, "--answer", answer)
        #expect(answered.status == 0 && answered.stderr.contains("Lan"), "\(answered)")
        let recovered = try Executables.run("fieldsync", ["--store", lan.store, "recover", "--answer", answer],
                                            environment: ["FIELDSYNC_NEW_PASSPHRASE": "mật khẩu của người mới"])
        #expect(recovered.status == 0, "\(recovered)")
        _ = try lan.run("lock")
        let list = try Executables.run("fieldsync", ["--store", lan.store, "list", "--json"],
                                       environment: ["FIELDSYNC_PASSPHRASE": "mật khẩu của người mới"])
        #expect(list.status == 0 && list.stdout.contains(secrets[0]), "\(list)")
        #expect(hub.terminate() == 0)
    }
}
