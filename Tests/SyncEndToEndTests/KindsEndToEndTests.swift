import FieldSyncTesting
import Foundation
import SQLiteKit
import Testing

/// A kind version published at the hub reaches a laptop at its next sync, with no new build: `fieldsync kinds`
/// shows the new field and option in the person's language.
@Suite struct KindsEndToEndTests {
    @Test func aPublishedVersionReachesTheLaptopAtItsNextSync() async throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        let before = try Executables.run("fieldsync", ["--store", lan.store, "kinds"], environment: ["FIELDSYNC_LANG": nil])
        #expect(before.status == 0 && before.stdout.contains("Lượt hỗ trợ — phiên bản 1") && before.stderr.contains("fieldsync sync"), "\(before)")

        let kinds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Protocol/kinds/visit.json")
        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: kinds)) as? [String: Any])
        document["version"] = 2
        var fields = try #require(document["fields"] as? [[String: Any]])
        fields.append(["name": "activatedOnSite", "type": "boolean", "labels": ["vi": "Kích hoạt tại chỗ", "en": "Activated on site"]])
        var options = try #require(fields[0]["options"] as? [[String: Any]])
        options.append(["code": "binh-dan-hoc-vu-so", "labels": ["vi": "Bình dân học vụ số", "en": "Digital literacy for all"]])
        fields[0]["options"] = options
        document["fields"] = fields
        let file = dir.file("visit-v2.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: file))
        #expect(try hub.command("kinds", "publish", file, "--by", "Hải").status == 0)

        try lan.sync()
        let after = try Executables.run("fieldsync", ["--store", lan.store, "kinds"], environment: ["FIELDSYNC_LANG": nil])
        #expect(after.status == 0 && after.stdout.contains("Lượt hỗ trợ — phiên bản 2") && after.stdout.contains("trường mới: Kích hoạt tại chỗ")
                    && after.stdout.contains("Dịch vụ: lựa chọn mới Bình dân học vụ số") && after.stdout.contains("Buổi tập huấn — phiên bản 1"),
                "\(after)")
        let english = try lan.run("kinds")
        #expect(english.stdout.contains("new field: Activated on site"), "\(english)")

        // Used at once, with no new build: the new option and field in `log`, `show`, and after a sync at the hub and
        // in its exports; another laptop gets them whole.
        let logged = try lan.log("Trần Văn Bình", service: "binh-dan-hoc-vu-so", extra: ["--set", "activatedOnSite=có"])
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let wrong = try lan.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "Lê Thị Cúc", "--set", "activatedOnSite=chắc")
        #expect(wrong.status != 0 && wrong.stderr.contains("activatedOnSite"), "\(wrong)")
        let unknown = try lan.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "Lê Thị Cúc", "--set", "password=1")
        #expect(unknown.status != 0 && unknown.stderr.contains("password"), "\(unknown)")
        let shown = try Executables.run("fieldsync", ["--store", lan.store, "show", logged], environment: ["FIELDSYNC_LANG": nil])
        #expect(shown.stdout.contains("Kích hoạt tại chỗ") && shown.stdout.contains("Bình dân học vụ số"), "\(shown)")
        try lan.sync()
        let atHub = try #require(try hubVisits(hub)[logged])
        #expect(atHub["service"] as? String == "binh-dan-hoc-vu-so" && (atHub["published"] as? [String: Any])?["activatedOnSite"] as? Bool == true,
                "\(atHub)")
        let csv = try hub.command("export", "--format", "csv").stdout.components(separatedBy: .newlines).filter { !$0.isEmpty }
        #expect(csv.count == 2 && csv[0].hasPrefix("\u{FEFF}visit,") && csv[0].hasSuffix(",activatedOnSite") && csv[1].contains(",binh-dan-hoc-vu-so,")
                    && csv[1].hasSuffix(",true"), "\(csv)")
        let people = try hub.commandForPeople("export", "--format", "people-csv").stdout
        #expect(people.contains("Kích hoạt tại chỗ") && people.contains("Bình dân học vụ số"), "\(people)")

        let minh = try Laptop(dir, "Minh")
        try minh.enroll(hub)
        try minh.sync()
        let relayed = try #require(try minh.visits()[logged])
        #expect((relayed["published"] as? [String: Any])?["activatedOnSite"] as? Bool == true, "\(relayed)")

        // A laptop of protocol 4 (built before fields could be published) would drop them: refused with 426 in Vietnamese.
        let token = try #require(try Database(path: lan.store, mode: .readOnly).scalarText("SELECT value FROM settings WHERE key = 'token'"))
        for (method, path) in [("GET", "/v1/pull"), ("POST", "/v1/push")] {
            let old = try await HTTP.send(method, hub.url + path, token: token, body: method == "POST" ? Data("{}".utf8) : nil,
                                          headers: ["FieldSync-Client": "fieldsync/0.3.0 protocol/4"])
            #expect(old.status == 426 && old.errorCode == "upgrade_required"
                        && String(decoding: old.body, as: UTF8.self).contains("cập nhật fieldsync"), "\(old.status)")
        }
    }
}

/// A training session logged with the real `fieldsync` on one laptop reaches another through the hub, is edited there,
/// and comes back; a session the kind refuses is refused on the laptop with the reason in Vietnamese.
@Suite struct SessionEndToEndTests {
    @Test func aSessionLoggedOnOneLaptopReachesAnotherAndComesBackEdited() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), minh = try Laptop(dir, "Minh")
        try lan.enroll(hub)
        try minh.enroll(hub)
        let logged = try lan.run("session", "log", "--place", "Thôn Đông", "--topic", "vneid", "--trainers", "Nguyễn Văn An; Lê Thị Hoa",
                                 "--attendees", "32", "--women", "18", "--elderly", "9", "--at", "05/12/2026 14:00")
        #expect(logged.status == 0, "\(logged)")
        let id = logged.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let refused = try Executables.run("fieldsync", ["--store", lan.store, "session", "log", "--topic", "vneid", "--trainers", "An",
                                                        "--attendees", "5", "--women", "9"], environment: ["FIELDSYNC_LANG": nil])
        #expect(refused.status != 0 && refused.stderr.contains("trong đó nữ không được lớn hơn số người tham dự"), "\(refused)")
        #expect(try lan.status()["unsynced"] as? Int == 1)
        try lan.sync()
        try minh.sync()

        func sessions(_ laptop: Laptop) throws -> [[String: Any]] {
            (try JSONSerialization.jsonObject(with: Data(try laptop.run("session", "list", "--json").stdout.utf8)) as? [[String: Any]]) ?? []
        }
        let received = try #require(try sessions(minh).first)
        #expect(received["id"] as? String == id && (received["fields"] as? [String: Any])?["attendees"] as? Int == 32, "\(received)")
        let edited = try minh.run("session", "edit", String(id.suffix(8)), "--attendees", "40")
        #expect(edited.status == 0 && edited.stdout.contains("40"), "\(edited)")
        try minh.sync()
        try lan.sync()
        #expect((try sessions(lan).first?["fields"] as? [String: Any])?["attendees"] as? Int == 40)
        let list = try Executables.run("fieldsync", ["--store", lan.store, "session", "list"], environment: ["FIELDSYNC_LANG": nil])
        #expect(list.stderr.contains("1 buổi, 40 người được tập huấn") && list.stdout.contains("VNeID"), "\(list)")

        let deleted = try lan.run("session", "delete", String(id.prefix(8)))
        #expect(deleted.status == 0, "\(deleted)")
        try lan.sync()
        try minh.sync()
        #expect(try sessions(minh).isEmpty)
    }
}
