import FieldSyncTesting
import Foundation
import Testing

/// Reports over HTTP, limited to the coordinator token's scope; and through the CLI.
@Suite(.serialized) struct ReportsEndToEndTests {
    func enroll(_ hub: HubProcess, _ arguments: [String]) async throws -> String {
        let code = try Executables.run("fieldsync-server", ["--db", hub.database, "enrollment-code"] + arguments).output
        let answer = try await HTTP.send("POST", hub.url + "/v1/enroll", body: Data(#"{"code":"\#(code)"}"#.utf8))
        return try #require(answer.json["token"] as? String, "\(String(decoding: answer.body, as: UTF8.self))")
    }

    @Test func aCoordinatorReadsOnlyItsOwnProvince() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Nguyễn Văn Hà Nội")
        try lan.sync()
        let hanoi = try await enroll(hub, ["--role", "coordinator", "--province", "01"])
        let saigon = try await enroll(hub, ["--role", "coordinator", "--province", "79"])
        let volunteer = try #require(try FieldSyncStoreToken.token(of: lan.store))

        let own = try await HTTP.send("GET", hub.url + "/v1/reports/progress", token: hanoi)
        #expect(own.status == 200)
        let provinces = (own.json["provinces"] as? [[String: Any]])?.compactMap { $0["province"] as? String }
        #expect(provinces == ["01"], "no filter: the token's own province")
        #expect(((own.json["totals"] as? [String: Any])?["done"] as? Int) == 1)

        let other = try await HTTP.send("GET", hub.url + "/v1/reports/progress?province=01", token: saigon)
        #expect(other.status == 403 && other.errorCode == "out_of_scope")
        let otherCommune = try await HTTP.send("GET", hub.url + "/v1/reports/merge?commune=00004", token: saigon)
        #expect(otherCommune.status == 403)
        let empty = try await HTTP.send("GET", hub.url + "/v1/reports/progress", token: saigon)
        #expect(((empty.json["totals"] as? [String: Any])?["done"] as? Int) == 0)

        let byVolunteer = try await HTTP.send("GET", hub.url + "/v1/reports/devices", token: volunteer)
        #expect(byVolunteer.status == 403)
        let html = try await HTTP.send("GET", hub.url + "/v1/reports/devices?format=html", token: hanoi)
        #expect(html.status == 200 && String(decoding: html.body, as: UTF8.self).contains("<!DOCTYPE html>"))
        let unknown = try await HTTP.send("GET", hub.url + "/v1/reports/salaries", token: hanoi)
        #expect(unknown.status == 404)
        let badDate = try await HTTP.send("GET", hub.url + "/v1/reports/progress?since=yesterday", token: hanoi)
        #expect(badDate.status == 400 && badDate.errorCode == "invalid_request")

        let cli = try hub.command("report", "progress", "--commune", "00004", "--format", "csv")
        #expect(cli.status == 0 && cli.stdout.contains("Phường Ba Đình,all services,,1"))
        let badTargets = dir.file("targets.csv")
        try "commune,service,target\n00004,vneid-level2,-1\n".write(toFile: badTargets, atomically: true, encoding: .utf8)
        let refused = try hub.command("report", "progress", "--targets", badTargets)
        #expect(refused.status != 0 && refused.stderr.contains("line 2") && refused.stderr.contains("negative"))
    }

    @Test func resolvingADuplicateSyncsToTheLaptops() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        let first = try lan.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
        let second = try binh.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
        try lan.sync()
        try binh.sync()
        let duplicates = try hub.command("report", "duplicates", "--format", "json").stdout
        #expect(duplicates.contains(first) && duplicates.contains(second))
        #expect(try hub.command("duplicates", "resolve", second, "--keep", first, "--by", "Hải").status == 0)
        try binh.sync()
        let atBinh = try binh.visits()[second]
        #expect(atBinh?["deleted"] as? Bool == true)
        #expect((atBinh?["note"] as? String)?.contains("duplicate of \(first)") == true)
        #expect(!(try hub.command("report", "duplicates", "--format", "json").stdout.contains(second)))
    }
}

extension ReportsEndToEndTests {
    @Test func aCoordinatorResolvesAConflictOverHTTPAndEveryLaptopConverges() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        let visit = try lan.log("Đỗ Văn Nam")
        try lan.sync()
        try binh.sync()
        #expect(try lan.run("edit", visit, "--note", "hẹn quay lại thứ Hai").status == 0)
        #expect(try binh.run("edit", visit, "--note", "đã kích hoạt xong").status == 0)
        try lan.sync()
        try binh.sync()

        let commune = try await enroll(hub, ["--role", "coordinator", "--commune", "00004"])
        let saigon = try await enroll(hub, ["--role", "coordinator", "--province", "79"])
        let volunteer = try #require(try FieldSyncStoreToken.token(of: lan.store))
        let list = try await HTTP.send("GET", hub.url + "/v1/conflicts", token: commune)
        let entries = try #require(list.json["conflicts"] as? [[String: Any]])
        #expect(list.status == 200 && entries.count == 1)
        let id = try #require(entries.first?["id"] as? String)
        #expect(((try await HTTP.send("GET", hub.url + "/v1/conflicts", token: saigon)).json["conflicts"] as? [Any])?.isEmpty == true)
        #expect(try await HTTP.send("GET", hub.url + "/v1/conflicts", token: volunteer).status == 403)
        #expect(try await HTTP.send("GET", hub.url + "/v1/conflicts?status=maybe", token: commune).status == 400)
        #expect(try await HTTP.send("GET", hub.url + "/v1/conflicts/\(id)", token: saigon).status == 404)
        #expect(try await HTTP.send("GET", hub.url + "/v1/conflicts/zz%0A", token: commune).status == 404)
        let shown = try await HTTP.send("GET", hub.url + "/v1/conflicts/\(id)", token: commune)
        #expect((shown.json["current"] as? [String: Any])?["note"] as? String == "đã kích hoạt xong")

        let resolve = hub.url + "/v1/conflicts/\(id)/resolve"
        let agreed = Data(#"{"choice":"set","values":{"note":"đã kích hoạt; hẹn thứ Hai"}}"#.utf8)
        #expect(try await HTTP.send("POST", resolve, token: saigon, body: agreed).status == 404)
        #expect(try await HTTP.send("POST", resolve, token: volunteer, body: agreed).status == 403)
        for bad in [#"{"choice":"maybe"}"#, #"{"choice":"set","values":{"cccd":"079190123456"}}"#, #"{"choice":"keep","values":{}}"#,
                    #"{"choice":"set","values":{"note":"a"}"#] {
            let answer = try await HTTP.send("POST", resolve, token: commune, body: Data(bad.utf8))
            #expect(answer.status == 400, "\(bad)")
        }
        let first = try await HTTP.send("POST", resolve, token: commune, body: agreed)
        #expect(first.status == 200 && first.json["alreadyResolved"] as? Bool == false)
        let again = try await HTTP.send("POST", resolve, token: commune, body: Data(#"{"choice":"take"}"#.utf8))
        #expect(again.status == 200 && again.json["alreadyResolved"] as? Bool == true)

        // Both laptops receive the hub's write as a plain change: no new conflict, the same note.
        for laptop in [lan, binh] {
            let summary = try laptop.sync()
            #expect(summary["conflicts"] as? Int == 0 && summary["pullConflicts"] as? Int == 0, "\(laptop.name): \(summary)")
            #expect(try laptop.visits()[visit]?["note"] as? String == "đã kích hoạt; hẹn thứ Hai")
        }
        #expect(try hubVisits(hub)[visit]?["note"] as? String == "đã kích hoạt; hẹn thứ Hai")
        let stillOpen = try JSONSerialization.jsonObject(with: Data(try hub.command("conflicts", "list", "--json").stdout.utf8)) as? [Any]
        #expect(stillOpen?.isEmpty == true)
        let resolved = try hub.command("conflicts", "list", "--status", "resolved", "--json").stdout
        #expect(resolved.contains(id) && resolved.contains("\"choice\" : \"set\""))
        let show = try hub.command("conflicts", "show", String(id.prefix(10)))
        #expect(show.status == 0 && show.stdout.contains("field by field") && show.stdout.contains("đã kích hoạt; hẹn thứ Hai"))
        let unknown = try hub.command("conflicts", "resolve", "0123456789abcdef", "--keep")
        #expect(unknown.status != 0 && unknown.stderr.contains("no conflict"))
        let twoChoices = try hub.command("conflicts", "resolve", id, "--keep", "--take")
        #expect(twoChoices.status != 0 && twoChoices.stderr.contains("exactly one"))
        let report = try hub.command("report", "merge", "--format", "json").stdout
        #expect(report.contains("\"resolved\" : 1"))
    }
}

/// Reads a laptop store's device token (for raw HTTP calls).
enum FieldSyncStoreToken {
    static func token(of store: String) throws -> String? {
        try FieldStoreAccess.token(store)
    }
}
