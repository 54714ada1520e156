import FieldSyncTesting
import Foundation
import Testing

/// Issue 31 end to end with the real binaries: a coordinator imports a commune's household list and gives its villages
/// to two teams; each team's laptop receives only its village; volunteers log visits against households; a failed visit's
/// follow-up shows as due and is closed by a later visit; the coverage report matches a count made here; a reassignment
/// removes the old village's names and phones from a laptop's files once its pending write reached the hub.
@Suite struct HouseholdsEndToEndTests {
    /// The commune's list as a spreadsheet saves it: `;` between cells, headers in Vietnamese with extra words.
    static let list = """
        STT;Thôn/Tổ;Mã hộ;Số nhà;Ngõ, đường;Họ và tên chủ hộ;SĐT;Số người từ 18 tuổi
        1;Thôn Đông;;12;Ngõ 5;Nguyễn Văn An;0912 345 678;3
        2;thon dong;;14;Ngõ 5;Trần Thị Bình;;4
        3;Thôn Tây;TT-03;3;Đường Cầu;Lê Thị Hoa;0987 654 321;2
        4;Thôn Tây;TT-04;7;Đường Cầu;Hoàng Văn Dũng;;5

        """

    /// A Vietnam day as a person types it (dd/mm/yyyy), `days` from today.
    static func day(_ days: Int) -> String {
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "dd/MM/yyyy"
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400))
    }

    @Test func twoTeamsCoverTheirVillagesAndTheFiguresHold() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        #expect(try hub.command("villages", "add", "--commune", "00004", "--name", "Thôn Đông", "--team", "T-01").status == 0)
        #expect(try hub.command("villages", "add", "--commune", "00004", "--name", "Thôn Tây", "--team", "T-02").status == 0)
        let file = dir.file("ho-gia-dinh.csv")
        try Self.list.write(toFile: file, atomically: true, encoding: .utf8)

        // A wrong line is named with its number and nothing is written.
        let wrong = dir.file("wrong.csv")
        try (Self.list + "5;Thôn Bắc;;1;x;Ngô Văn E;;1\n6;Thôn Đông;;9;;;;2\n").write(toFile: wrong, atomically: true, encoding: .utf8)
        let refused = try hub.command("households", "import", wrong, "--commune", "00004", "--apply")
        #expect(refused.status != 0 && refused.stdout.contains("line 6: commune 00004 has no village «Thôn Bắc»")
                && refused.stdout.contains("line 7: no head of household") && refused.stdout.contains("nothing imported"), "\(refused)")
        let preview = try hub.command("households", "import", file, "--commune", "00004")
        #expect(preview.status == 0 && preview.stdout.contains("preview: 4 to create"), "\(preview)")
        #expect(try hub.command("households", "list", "--commune", "00004").stdout.contains("no household yet"), "a preview writes nothing")
        let imported = try hub.command("households", "import", file, "--commune", "00004", "--apply")
        #expect(imported.stdout.contains("imported: 4 created, 0 updated, 0 unchanged"), "\(imported)")
        // The corrected list (one household's adults) updates it rather than adding one.
        try Self.list.replacingOccurrences(of: "Trần Thị Bình;;4", with: "Trần Thị Bình;;5").write(toFile: file, atomically: true, encoding: .utf8)
        let again = try hub.command("households", "import", file, "--commune", "00004", "--apply")
        #expect(again.stdout.contains("imported: 0 created, 1 updated, 3 unchanged"), "\(again)")

        let east = try Laptop(dir, "east", team: "T-01")
        try east.enroll(hub, team: "T-01")
        let west = try Laptop(dir, "west", team: "T-02")
        try west.enroll(hub, team: "T-02")
        try east.sync()
        try west.sync()
        let eastList = try east.run("household", "list").stdout
        #expect(eastList.contains("Nguyễn Văn An") && eastList.contains("Trần Thị Bình") && !eastList.contains("Lê Thị Hoa")
                && !eastList.contains("Hoàng Văn Dũng"), "east holds Thôn Đông only: \(eastList)")
        let westList = try west.run("household", "list").stdout
        #expect(westList.contains("Lê Thị Hoa") && !westList.contains("Nguyễn Văn An"), "west holds Thôn Tây only: \(westList)")

        // East: a failed visit comes back today, then a later visit closes it; a pending one takes 14 days by default.
        _ = try east.log("Nguyễn Văn An", outcome: "failed", extra: ["--reason", "otp-not-received", "--household", "12 ngo 5", "--come-back", Self.day(0)])
        let due = try east.run("due")
        #expect(due.stdout.contains("Nguyễn Văn An") && due.stdout.contains(Self.day(0)), "\(due)")
        _ = try east.log("Trần Thị Bình", outcome: "pending", extra: ["--reason", "application-pending", "--household", "tran thi binh"])
        let pending = try east.run("due", "--json")
        #expect(pending.stdout.contains(Self.day(14).split(separator: "/").reversed().joined(separator: "-").prefix(4)), "\(pending)")
        _ = try east.log("Nguyễn Văn An", extra: ["--household", "nguyen van an"])
        let after = try east.run("due")
        #expect(!after.stdout.contains("Nguyễn Văn An"), "the done visit closed the follow-up: \(after)")
        let ambiguous = try east.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "X", "--household", "ngo 5")
        #expect(ambiguous.status != 0 && ambiguous.stderr.contains("Nguyễn Văn An") && ambiguous.stderr.contains("Trần Thị Bình"), "\(ambiguous)")
        // West: a done visit, an overdue follow-up, and a citizen met at the commune office (no household).
        _ = try west.log("Lê Thị Hoa", extra: ["--household", "TT-03"])
        _ = try west.log("Hoàng Văn Dũng", outcome: "failed", extra: ["--reason", "otp-not-received", "--household", "hoang van dung",
                                                                      "--come-back", Self.day(-1)])
        _ = try west.log("Phạm Văn Cường", service: "bank-account")
        try east.sync()
        try west.sync()

        // The hub's figures against a count made here.
        let report = try hub.command("report", "coverage", "--format", "json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any], "\(report)")
        let lines = (json["villages"] as? [[String: Any]] ?? []).reduce(into: [String: [String: Int]]()) { lines, line in
            lines[line["village"] as? String ?? "?"] = line.compactMapValues { $0 as? Int }
        }
        #expect(lines["Thôn Đông"] == ["households": 2, "visited": 2, "adults": 8, "level2Pending": 1, "level2Done": 1, "due": 0, "overdue": 0])
        #expect(lines["Thôn Tây"] == ["households": 2, "visited": 2, "adults": 7, "level2Pending": 0, "level2Done": 1, "due": 0, "overdue": 1])
        let csv = try hub.command("report", "coverage", "--format", "csv").stdout
        #expect(csv.contains("00004,Thôn Tây,2,2,100.0,7,0,1,14.3,0,1"), "\(csv)")
        // The laptop's offline figures for its team, by the same rules.
        let progress = try east.run("progress", "--json")
        let eastLines = (try JSONSerialization.jsonObject(with: Data(progress.stdout.utf8)) as? [[String: Any]]) ?? []
        #expect(eastLines.count == 1 && eastLines.first?["village"] as? String == "Thôn Đông" && eastLines.first?["level2Done"] as? Int == 1
                && eastLines.first?["adults"] as? Int == 8, "\(progress)")

        // The villages swap teams. East logs one more visit in Thôn Đông before it syncs: the hub takes it, then the
        // laptop drops Thôn Đông's names and phones and receives Thôn Tây whole.
        #expect(try hub.command("villages", "assign", "--commune", "00004", "thon dong", "--team", "T-02").status == 0)
        #expect(try hub.command("villages", "assign", "--commune", "00004", "thon tay", "--team", "T-01").status == 0)
        let last = try east.log("Trần Thị Bình", service: "bank-account", extra: ["--household", "14 ngo 5", "--phone", "0912 000 111"])
        try east.sync()
        #expect(try hubVisits(hub)[last] != nil, "the write made in the old village reached the hub")
        let moved = try east.run("household", "list").stdout
        #expect(moved.contains("Lê Thị Hoa") && moved.contains("Hoàng Văn Dũng") && !moved.contains("Nguyễn Văn An"), "\(moved)")
        let visits = try east.visits()
        #expect(visits.values.contains { $0["name"] as? String == "Lê Thị Hoa" } && !visits.values.contains { $0["name"] as? String == "Nguyễn Văn An" },
                "\(visits.values.map { $0["name"] ?? "" })")
        for path in [east.store, east.store + "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: path) else { continue }
            for secret in ["Nguyễn Văn An", "Trần Thị Bình", "0912345678", "0912000111"] {
                #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is gone from \(path)")
            }
        }
        try west.sync()
        let westNow = try west.run("household", "list").stdout
        #expect(westNow.contains("Nguyễn Văn An") && !westNow.contains("Lê Thị Hoa"), "\(westNow)")
    }
}
