import FieldSyncTesting
import Foundation
import Testing

/// A kind version published at the hub reaches a laptop at its next sync, with no new build: `fieldsync kinds`
/// shows the new field and option in the person's language.
@Suite struct KindsEndToEndTests {
    @Test func aPublishedVersionReachesTheLaptopAtItsNextSync() throws {
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
    }
}
