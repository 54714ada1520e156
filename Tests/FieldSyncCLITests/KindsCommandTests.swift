import FieldSyncTesting
import Foundation
import Testing

/// `fieldsync-server kinds check`: an operator checks a kind document, and a new version against the published one,
/// before publishing it; an incompatible change is refused with its reason and a non-zero exit.
struct KindsCommandTests {
    static let kinds = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol/kinds")

    @Test func aKindIsCheckedAndAnIncompatibleVersionRefusedWithItsReason() throws {
        let dir = TemporaryDirectory()
        let visit = Self.kinds.appendingPathComponent("visit.json").path
        let checked = try Executables.run("fieldsync-server", ["kinds", "check", visit])
        #expect(checked.status == 0 && checked.stdout.contains("visit version 1: 21 fields, 3 groups, 4 rules"), "\(checked)")

        var document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: visit))) as? [String: Any])
        document["version"] = 2
        var fields = try #require(document["fields"] as? [[String: Any]])
        fields.append(["name": "activatedOnSite", "type": "boolean", "labels": ["vi": "Kích hoạt tại chỗ", "en": "Activated on site"]])
        document["fields"] = fields
        let next = dir.file("visit-v2.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: next))
        let accepted = try Executables.run("fieldsync-server", ["kinds", "check", next, "--after", visit])
        #expect(accepted.status == 0 && accepted.stdout.contains("compatible next version"), "\(accepted)")

        // Published at a hub: listed after the built-in version, shown, in the audit log; the same version again refused.
        let hub = ["--db", dir.file("hub.sqlite")]
        let published = try Executables.run("fieldsync-server", hub + ["kinds", "publish", next, "--by", "Hải"])
        #expect(published.status == 0 && published.stdout.contains("published visit version 2"), "\(published)")
        let listed = try Executables.run("fieldsync-server", hub + ["kinds", "list"]).stdout
        #expect(listed.contains("visit v1") && listed.contains("visit v2") && listed.contains("by Hải") && listed.contains("session v1"), "\(listed)")
        #expect(try Executables.run("fieldsync-server", hub + ["kinds", "show", "visit"]).stdout.contains("activatedOnSite"))
        #expect(try Executables.run("fieldsync-server", hub + ["kinds", "publish", next]).status != 0)
        #expect(try Executables.run("fieldsync-server", hub + ["audit", "list", "--json"]).stdout.contains("kind-publish"))

        fields.removeAll { $0["name"] as? String == "note" }
        document["fields"] = fields
        let broken = dir.file("visit-v2-broken.json")
        try JSONSerialization.data(withJSONObject: document).write(to: URL(fileURLWithPath: broken))
        let refused = try Executables.run("fieldsync-server", ["kinds", "check", broken, "--after", visit])
        #expect(refused.status != 0 && refused.stderr.contains("field-removed") && refused.stderr.contains("retire it instead"), "\(refused)")
        let garbage = dir.file("garbage.json")
        try Data("{\"kind\": 3}".utf8).write(to: URL(fileURLWithPath: garbage))
        let unreadable = try Executables.run("fieldsync-server", ["kinds", "check", garbage])
        #expect(unreadable.status != 0 && unreadable.stderr.contains("not a kind document"), "\(unreadable)")
    }
}
