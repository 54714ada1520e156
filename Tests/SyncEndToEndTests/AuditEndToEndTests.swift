import FieldSyncTesting
import Foundation
import SQLiteKit
import Testing

/// The audit log through the real binaries (issue 16, item 3).
@Suite(.serialized) struct AuditEndToEndTests {
    @Test func enrolmentsSyncsReadsAndExportsAreChainedAndATamperedLineIsNamed() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Trần Văn Bình")
        try lan.sync()
        #expect(try hub.command("report", "progress", "--commune", "00004").status == 0)
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
