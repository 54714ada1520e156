import FieldSyncTesting
import Foundation
import Testing

/// Two laptops in one commune and one elsewhere, syncing through the real hub binary.
@Suite(.serialized) struct ConvergenceEndToEndTests {
    @Test func concurrentEditsConvergeEverywhereAndTheConflictIsReported() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan"), b = try Laptop(dir, "Bình"), c = try Laptop(dir, "Cúc", commune: "00008")
        try a.enroll(hub)
        try b.enroll(hub)
        try c.enroll(hub, commune: "00008")

        let visit = try a.log("Trần Văn Đức", outcome: "pending", extra: ["--reason", "otp-not-received", "--cccd", "001203012345"])
        let other = try a.log("Lê Thị Hoà")
        let elsewhere = try c.log("Phạm Văn Cường")
        try a.sync()
        try b.sync()
        try c.sync()
        #expect(try Set(b.visits().keys) == [visit, other])
        #expect(try c.visits().keys.sorted() == [elsewhere], "scope: another commune's laptop sees only its own commune")

        // Same field (outcome) and different fields (note vs phone), concurrently, offline.
        #expect(try a.run("edit", visit, "--outcome", "done", "--reason", "", "--note", "kích hoạt xong").status == 0)
        #expect(try b.run("edit", visit, "--outcome", "failed", "--phone", "0912345678").status == 0)
        #expect(try b.run("delete", other).status == 0)
        let pushedA = try a.sync()
        let pushedB = try b.sync()
        try a.sync()
        #expect(pushedA["conflicts"] as? Int == 0)
        #expect(pushedB["conflicts"] as? Int == 1, "B's push meets A's concurrent edit at the hub")
        #expect(pushedB["fastForward"] as? Int == 1, "B's deletion of a visit nobody else touched")
        let told = (pushedB["myConflicts"] as? [String]) ?? []
        #expect(told.isEmpty, "B's later outcome and reason won: B lost nothing and is told nothing, got \(told)")

        let hubState = try hubVisits(hub)
        let atA = try a.visits(), atB = try b.visits()
        #expect(atA == atB)
        #expect(restricted(hubState, commune: "00004") == atA)
        let merged = try #require(atA[visit])
        #expect(merged["outcome"] as? String == "failed", "B's later write wins the same field")
        #expect(merged["note"] as? String == "kích hoạt xong", "A's edit of another field survives")
        #expect(merged["phone"] as? String == "0912345678")
        #expect(atA[other]?["deleted"] as? Bool == true, "the deletion reached A")
        #expect(try a.run("list", "--json").stdout.contains(other) == false)
        #expect(try c.visits().keys.sorted() == [elsewhere])

        let report = try hub.command("report", "merge", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let conflicts = try #require(json["conflicts"] as? [[String: Any]])
        #expect(conflicts.count == 1)
        let fields = (conflicts.first?["fields"] as? [[String: Any]]) ?? []
        let outcome = try #require(fields.first { $0["field"] as? String == "outcome" })
        #expect((outcome["stored"] as? [String: Any])?["value"] as? String == "done")
        #expect((outcome["incoming"] as? [String: Any])?["value"] as? String == "failed")
        #expect(outcome["winner"] as? String == "incoming")
        #expect((outcome["stored"] as? [String: Any])?["volunteer"] as? String == "Lan")
        #expect(fields.compactMap { $0["field"] as? String } == ["outcome", "reason"],
                "only the group both wrote: A's note and B's phone were not concurrent with anything")

        // The hub's files never hold the raw citizen ID.
        for suffix in ["", "-wal", "-shm"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: hub.database + suffix))) ?? Data()
            #expect(bytes.range(of: Data("001203012345".utf8)) == nil, "raw CCCD found in hub.sqlite\(suffix)")
        }
        #expect(hubState[visit]?["cccd"] as? String == "********2345")
        #expect(hub.terminate() == 0, "SIGTERM stops the hub cleanly")
    }

    @Test func theMergeReportAndExportWorkAsTables() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let a = try Laptop(dir, "Lan")
        try a.enroll(hub)
        _ = try a.log("Nguyễn Thị Mai")
        try a.sync()
        let table = try hub.commandForPeople("report", "merge")
        #expect(table.status == 0 && table.stdout.contains("Báo cáo hợp nhất") && table.stdout.contains("Lan"), "\(table)")
        #expect(table.stdout.contains("Giờ Việt Nam (UTC+7)") && !table.stdout.contains("Batches"), "Vietnamese by default")
        let english = try hub.command("report", "merge", "--lang", "en")
        #expect(english.stdout.contains("Merge report") && english.stdout.contains("Vietnam time"))
        #expect(try hub.command("report", "merge", "--lang", "fr").status != 0)
        let html = try hub.commandForPeople("report", "devices", "--format", "html").stdout
        #expect(html.contains("<html lang=\"vi\">") && html.contains("Đồng bộ gần nhất") && !html.contains(":00Z<"),
                "Vietnamese, times in Vietnam time")
        let csv = try hub.command("export", "--format", "csv")
        #expect(csv.stdoutBytes.starts(with: [0xEF, 0xBB, 0xBF] + Array("visit,visited_at".utf8)), "UTF-8 BOM, then the header")
        #expect(csv.stdout.contains("Nguyễn Thị Mai"))
        let devices = try hub.commandForPeople("devices", "list")
        #expect(devices.stdout.contains("Lan") && devices.stdout.contains("Phường Ba Đình (00004)") && devices.stdout.contains("Tình nguyện viên"))
    }
}
