import FieldModel
import FieldSyncTesting
import Foundation
import Testing

/// Issue 33 end to end with the real binaries: a coordinator returns a visit with a comment in the console, the
/// volunteer's laptop shows it after its sync, the volunteer corrects it and the console shows it came back, the
/// coordinator accepts it; a rejected visit leaves the progress figures, which say so; a generated burst of
/// activations and one phone on three citizens are flagged with their reasons; a laptop that writes the review
/// itself is refused at the hub.
@Suite struct ReviewEndToEndTests {
    @Test func aVisitIsReturnedCorrectedAndAcceptedAndTheFiguresStayHonest() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Đỗ Văn Nam", service: "bank-account")
        _ = try lan.log("Người Không Có Thật", service: "bank-account")
        // A burst: twelve activations within eleven minutes; one phone on three citizens.
        let formatter = DateFormatter()
        formatter.timeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh")
        formatter.dateFormat = "dd/MM/yyyy HH:mm"
        let start = Date().addingTimeInterval(-3 * 3_600)
        for n in 0..<12 { _ = try lan.log("Công Dân \(n)", extra: ["--at", formatter.string(from: start.addingTimeInterval(Double(n) * 60))]) }
        for name in ["Trần Văn A", "Trần Văn B", "Trần Văn C"] { _ = try lan.log(name, service: "e-wallet", extra: ["--phone", "0912345678"]) }
        try lan.sync()
        let ids = Dictionary(try lan.visits().map { ($0.value["name"] as? String ?? "", $0.key) }, uniquingKeysWith: { $1 })
        let nam = try #require(ids["Đỗ Văn Nam"]), invented = try #require(ids["Người Không Có Thật"])

        // The coordinator returns Nam's visit from the console.
        let console = ConsoleClient(port: hub.port)
        let code = try hub.command("enrollment-code", "--commune", "00004", "--role", "coordinator").output
        let joined = try console.go("/console/join", form: ["code": code, "login": "hai",
                                                            "passphrase": "mật khẩu dài của Hải", "again": "mật khẩu dài của Hải"])
        #expect(joined.status == 303, "\(joined.status) \(joined.body.prefix(300))")
        var token = try console.csrf(on: "/console/visits/\(nam)")
        let returned = try console.go("/console/visits/\(nam)/review", form: ["csrf": token, "state": "needs-correction",
                                                                            "comment": "ghi thêm số điện thoại của người dân"])
        #expect(returned.status == 303)

        // The laptop shows it after its sync; the volunteer corrects it; it is no longer asked.
        let synced = try lan.run("sync")
        #expect(synced.output.contains("1 visit(s) need a correction"), "\(synced)")
        let asked = try lan.run("review")
        #expect(asked.output.contains("ghi thêm số điện thoại của người dân") && asked.output.contains("Đỗ Văn Nam"), "\(asked)")
        #expect(try lan.run("status").output.contains("ghi thêm số điện thoại"))
        #expect(try lan.run("edit", nam, "--phone", "0987654321").status == 0)
        #expect(try lan.run("review").stderr.contains("no visit needs a correction"))
        try lan.sync()

        // The console shows it came back; the coordinator accepts it and rejects the invented visit.
        let back = try console.go("/console/visits?review=queue")
        #expect(back.body.contains("name=\"v.\(nam)\"") && back.body.contains("đã gửi lại sau khi bổ sung"), "the queue marks it resubmitted")
        token = try console.csrf(on: "/console/visits?review=queue")
        #expect(try console.go("/console/review", form: ["csrf": token, "state": "accepted", "v.\(nam)": "1"]).status == 303)
        #expect(try console.go("/console/review", form: ["csrf": token, "state": "rejected", "comment": "không có người này", "v.\(invented)": "1"]).status == 303)
        let queue = try console.go("/console/visits?review=queue").body
        #expect(!queue.contains("name=\"v.\(nam)\"") && !queue.contains("name=\"v.\(invented)\""), "decided visits leave the queue")

        // The rejected visit leaves the figures, which say so; it stays in the data.
        let progress = try JSONSerialization.jsonObject(with: Data(try hub.command("report", "progress", "--commune", "00004", "--format", "json").stdout.utf8))
            as? [String: Any]
        let totals = try #require(progress?["totals"] as? [String: Any]), review = try #require(progress?["review"] as? [String: Any])
        #expect(totals["done"] as? Int == 16, "17 done visits, one rejected: \(totals)")
        #expect(review["rejected"] as? Int == 1 && review["accepted"] as? Int == 1 && review["unreviewed"] as? Int == 15, "\(review)")
        #expect(try hubVisits(hub)[invented] != nil, "it stays in the data")
        let table = try hub.commandForPeople("report", "progress", "--commune", "00004").stdout
        #expect(table.contains("Không tính (bị từ chối)"), "\(table)")

        // The flags, with their reasons.
        let flags = (try JSONSerialization.jsonObject(with: Data(try hub.command("report", "quality", "--commune", "00004", "--format", "json").stdout.utf8))
            as? [String: Any])?["flags"] as? [[String: Any]] ?? []
        let burst = try #require(flags.first { $0["rule"] as? String == "burst" })
        #expect(burst["subject"] as? String == "Lan" && (burst["figures"] as? [String: Int])?["visits"] == 12 && (burst["visits"] as? [String])?.count == 12)
        let phone = try #require(flags.first { $0["rule"] as? String == "shared-phone" })
        #expect((phone["figures"] as? [String: Int])?["citizens"] == 3)
        let words = try hub.commandForPeople("report", "quality", "--commune", "00004").stdout
        #expect(words.contains("12 lượt kích hoạt VNeID mức 2 «hoàn thành» trong 15 phút") && words.contains("một số điện thoại trên 3 người khác nhau"),
                "\(words)")
        let console_ = try console.go("/console/quality?since=\(formatter.string(from: start).prefix(10).replacingOccurrences(of: "/", with: "%2F"))").body
        #expect(console_.contains("Ghi quá nhanh") && console_.contains("Một số điện thoại, nhiều người"))

        // A laptop that writes the review itself (a modified program) is refused; the hub keeps the coordinator's.
        try FieldStoreAccess.forgeReview(lan.store, visit: invented)
        let refused = try lan.run("sync")
        #expect(try lan.run("flagged").output.contains(String(invented.suffix(8))), "\(refused)")
        let after = try JSONSerialization.jsonObject(with: Data(try hub.command("report", "progress", "--commune", "00004", "--format", "json").stdout.utf8))
            as? [String: Any]
        #expect((after?["review"] as? [String: Any])?["rejected"] as? Int == 1, "the hub keeps its own review")
    }
}
