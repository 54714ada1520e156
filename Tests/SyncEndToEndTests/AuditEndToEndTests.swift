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
