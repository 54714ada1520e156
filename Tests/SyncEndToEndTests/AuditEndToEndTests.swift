import FieldSyncTesting
import Foundation
import SQLiteKit
import Testing

/// The audit log through the real binaries (issue 16, item 3).
@Suite(.serialized) struct AuditEndToEndTests {
    @Test func enrolmentsSyncsReadsAndExportsAreChainedAndATamperedLineIsNamed() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Trần Văn Bình")
        try lan.sync()
        let cuc = try Laptop(dir, "Cúc", commune: "00008")
        try cuc.enroll(hub, commune: "00008")
        try cuc.sync()
        #expect(try hub.command("report", "progress", "--commune", "00004").status == 0)

        // A commune's coordinator reads the lines of its commune only.
        let code = try hub.command("enrollment-code", "--role", "coordinator", "--commune", "00004").output
        let enrolled = try await HTTP.send("POST", hub.url + "/v1/enroll", body: Data(#"{"code":"\#(code)"}"#.utf8))
        let token = try #require(enrolled.json["token"] as? String)
        let page = try await HTTP.send("GET", hub.url + "/v1/audit", token: token)
        let scopes = ((page.json["entries"] as? [[String: Any]]) ?? []).compactMap { $0["scope"] as? String }
        #expect(page.status == 200 && !scopes.isEmpty && scopes.allSatisfy { $0.hasPrefix("commune 00004") }, "\(scopes)")
        #expect(try hub.command("export", "--format", "csv").status == 0)
        let verified = try hub.command("audit", "verify")
        #expect(verified.status == 0 && verified.stdout.contains("verifies"), "\(verified)")
        let list = try hub.command("audit", "list", "--json")
        let lines = (try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]]) ?? []
        let actions = lines.compactMap { $0["action"] as? String }
        #expect(["enrol", "sync", "report", "export"].allSatisfy(actions.contains), "\(actions)")
        #expect(!list.stdout.contains("Trần Văn Bình"), "the log names no citizen")
        let sync = try #require(lines.first { $0["action"] as? String == "sync" })
        #expect((sync["scope"] as? String)?.contains("commune 00004") == true && (sync["detail"] as? String)?.contains(#""fastForward":"1""#) == true)

        // Someone with the database edits a line, then removes the last one.
        let db = try Database(path: hub.database)
        try db.run("UPDATE audit_log SET detail = '{}' WHERE seq = 2")
        let edited = try hub.command("audit", "verify")
        #expect(edited.status != 0 && edited.stderr.contains("entry 2 was edited"), "\(edited)")
        let original = try #require(lines.first { $0["seq"] as? Int == 2 }?["detail"] as? String)
        try db.run("UPDATE audit_log SET detail = ? WHERE seq = 2", [.text(original)])
        #expect(try hub.command("audit", "verify").status == 0, "put back as it was, it verifies again")
        try db.run("DELETE FROM audit_log WHERE seq = (SELECT max(seq) FROM audit_log)")
        let removed = try hub.command("audit", "verify")
        #expect(removed.status != 0 && removed.stderr.contains("were removed"), "\(removed)")
        #expect(hub.terminate() == 0)
    }
}

/// A citizen's request to see what was recorded (issue 16, item 1).
@Suite(.serialized) struct SubjectEndToEndTests {
    @Test func everythingAboutOneCitizenIsFoundAndExportedAndTheRequestIsAudited() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        let first = try lan.log("Hoàng Văn Em", service: "e-wallet", extra: ["--cccd", "001203000777", "--phone", "0912000777"])
        let second = try binh.log("Hoàng Văn Em", service: "bank-account", extra: ["--cccd", "001203000777"])
        let other = try lan.log("Phạm Thị Hoa", extra: ["--cccd", "001203000888"])
        #expect(try lan.run("delete", first).status == 0, "a deleted visit still holds the citizen's data")
        try lan.sync()
        try binh.sync()

        func found(_ arguments: String...) throws -> Set<String> {
            let result = try Executables.run("fieldsync-server", hub.storeArguments + ["subject", "find"] + arguments + ["--json"])
            #expect(result.status == 0, "\(result)")
            let lines = (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
            return Set(lines.compactMap { $0["id"] as? String })
        }
        #expect(try found("--cccd", "001203000777") == [first, second], "by CCCD, through the pseudonym, deleted visit included")
        #expect(try found("--visit", second) == [first, second], "by one visit: every visit with its pseudonym")
        #expect(try found("--name", "hoang van em", "--commune", "00004") == [first, second])
        #expect(try !found("--cccd", "001203000888").contains(first) && found("--cccd", "001203000888") == [other])
        let noCommune = try hub.command("subject", "find", "--name", "em")
        #expect(noCommune.status != 0 && noCommune.stderr.contains("--commune"), "\(noCommune)")

        let out = dir.file("request")
        let exported = try hub.command("subject", "export", "--cccd", "001203000777", "--out", out)
        #expect(exported.status == 0 && exported.stderr.contains("2 visits"), "\(exported)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/subject.json"))) as? [String: Any]
        #expect((json?["visits"] as? [[String: Any]])?.count == 2)
        let csv = try String(contentsOfFile: out + "/subject-visits.csv", encoding: .utf8)
        #expect(csv.contains("0912000777") && csv.contains("Hoàng Văn Em") && !csv.contains("Phạm Thị Hoa"))
        for name in ["subject-conflicts.csv", "subject-quarantine.csv"] { #expect(FileManager.default.fileExists(atPath: out + "/" + name)) }

        let audit = try hub.command("audit", "list", "--json").stdout
        #expect(audit.contains("subject-find") && audit.contains("subject-export"))
        #expect(!audit.contains("001203000777") && !audit.contains("Hoàng") && !audit.contains("hoang"), "the log names no citizen")
        #expect(try hub.command("audit", "verify").status == 0)
        #expect(hub.terminate() == 0)
    }
}

/// Erasing a citizen everywhere (issue 16, item 2), through the real binaries.
@Suite(.serialized) struct ErasureEndToEndTests {
    func bytes(_ path: String) -> Data {
        ["", "-wal", "-shm"].reduce(into: Data()) { data, suffix in
            // Losing this error is safe: a file that is not there has no bytes to search.
            if let more = try? Data(contentsOf: URL(fileURLWithPath: path + suffix)) { data.append(more) }
        }
    }

    @Test func anErasedCitizenIsGoneEverywhereAndAnOfflineLaptopCannotBringThemBack() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        let secrets = ["Lý Thị Quỳnh Như", "0987000111", "nhà sau chợ", "001203000999"]
        let visit = try lan.log(secrets[0], extra: ["--phone", secrets[1], "--note", secrets[2], "--cccd", secrets[3]])
        _ = try lan.log("Đỗ Văn Khải")
        try lan.sync()
        try binh.sync()
        let progress = { try hub.command("report", "progress", "--format", "json").stdout }
        let before = try progress()

        // Bình is offline during the erase and edits the citizen's note meanwhile.
        #expect(try binh.run("edit", visit, "--note", "gọi lại \(secrets[1])").status == 0)
        let erased = try hub.command("subject", "erase", "--cccd", secrets[3])
        #expect(erased.status == 0 && erased.stdout.contains("erased: 1 visits"), "\(erased)")
        try lan.sync()
        try binh.sync()
        try lan.sync()

        for laptop in [lan, binh] {
            let shown = try #require(try laptop.visits()[visit])
            #expect(shown["name"] as? String == "[đã xoá]" && shown["phone"] as? String == nil && (shown["note"] as? String ?? "") == "",
                    "\(shown)")
            let found = secrets.filter { bytes(laptop.store).range(of: Data($0.utf8)) != nil }
            #expect(found.isEmpty, "\(laptop.name)'s store still holds \(found)")
        }
        let atHub = try #require(try hubVisits(hub)[visit])
        #expect(atHub["name"] as? String == "[đã xoá]" && atHub["phone"] as? String == nil, "\(atHub)")
        let found = secrets.filter { bytes(hub.database).range(of: Data($0.utf8)) != nil }
        #expect(found.isEmpty, "the hub's files still hold \(found)")
        #expect(try progress() == before, "progress is the same before and after the erase")
        let again = try hub.command("subject", "erase", "--visit", visit)
        #expect(again.status == 0 && again.stdout.contains("erased: 0 visits"), "erasing twice changes nothing: \(again)")
        #expect(try hub.command("audit", "list", "--action", "subject-erase").stdout.contains("subject-erase"))

        // Consent withdrawn on a laptop: the same, from the other side.
        let other = try lan.log("Mai Văn Tư", extra: ["--phone", "0911000222"])
        try lan.sync()
        #expect(try lan.run("consent", "withdraw", other).status == 0)
        try lan.sync()
        try binh.sync()
        #expect(try hubVisits(hub)[other]?["name"] as? String == "[đã xoá]")
        #expect(try binh.visits()[other]?["phone"] as? String == nil && binh.visits()[other]?["name"] as? String == "[đã xoá]")
        #expect(hub.terminate() == 0)
    }
}
