import FieldSyncTesting
import Foundation
import Testing

@Suite struct WorkflowTests {
    @Test func logListEditShowDelete() throws {
        let cli = CLI()
        try cli.initialise()

        let logged = try cli.run("log", "--service", "vneid-level2", "--outcome", "pending", "--reason", "otp-not-received",
                                 "--name", "Trần Văn Bình", "--cccd", "001203012345", "--phone", "+84 97 123 4567",
                                 "--note", "quay lại thứ Sáu", "--at", "2025-11-20T09:30:00+07:00")
        #expect(logged.status == 0, "\(logged)")
        let id = logged.output
        #expect(UUID(uuidString: id) != nil && id == id.lowercased(), "log prints only the new id")
        #expect(logged.stderr.contains("001203012345"), "the CCCD is echoed back for checking")

        let list = try cli.json(try cli.run("list", "--json")) as? [[String: Any]]
        let visit = try #require(list?.first)
        #expect(list?.count == 1)
        #expect(visit["id"] as? String == id)
        #expect(visit["service"] as? String == "vneid-level2")
        #expect(visit["outcome"] as? String == "pending")
        #expect(visit["commune"] as? String == "00004")
        #expect(visit["note"] as? String == "quay lại thứ Sáu")
        #expect(visit["deleted"] as? Bool == false)
        #expect(visit["phone"] as? String == "0971234567")
        #expect(visit["cccd"] as? String == "********2345")
        #expect(visit["visitedAt"] as? String == "2025-11-20T02:30:00Z")
        let version = try #require(visit["version"] as? [String: Int])
        #expect(version.count == 1 && version.values.first == 1)

        let edited = try cli.run("edit", String(id.suffix(8)), "--outcome", "done", "--reason", "")
        #expect(edited.status == 0, "\(edited)")
        #expect(edited.stderr.contains("outcome") && edited.stderr.contains("reason"))

        let shown = try cli.json(try cli.run("show", id, "--json")) as? [String: Any]
        #expect(shown?["outcome"] as? String == "done")
        #expect(shown?["reason"] is NSNull)
        #expect((shown?["version"] as? [String: Int])?.values.first == 2)

        let text = try cli.run("show", id)
        #expect(text.status == 0 && text.stdout.contains("Trần Văn Bình") && text.stdout.contains("Phường Ba Đình"))

        let deleted = try cli.run("delete", id)
        #expect(deleted.status == 0, "\(deleted)")
        #expect((try cli.json(try cli.run("list", "--json")) as? [Any])?.isEmpty == true)
        let all = try cli.json(try cli.run("list", "--all", "--json")) as? [[String: Any]]
        #expect(all?.first?["deleted"] as? Bool == true)
        #expect((try cli.json(try cli.run("show", id, "--json")) as? [String: Any])?["deleted"] as? Bool == true)
    }

    @Test func searchIsDiacriticsInsensitive() throws {
        let cli = CLI()
        try cli.initialise()
        for name in ["Nguyễn Văn A", "Đặng Thị Hoà", "Lê Văn Hòa"] {
            #expect(try cli.run("log", "--service", "other", "--outcome", "done", "--name", name).status == 0)
        }
        let found = try cli.json(try cli.run("list", "--search", "nguyen van a", "--json")) as? [[String: Any]]
        #expect(found?.map { $0["name"] as? String } == ["Nguyễn Văn A"])
        let hoa = try cli.json(try cli.run("list", "--search", "hoa", "--json")) as? [[String: Any]]
        #expect(hoa?.count == 2)
        let dang = try cli.json(try cli.run("list", "--search", "dang", "--json")) as? [[String: Any]]
        #expect(dang?.count == 1)
    }

    @Test func storeComesFromTheOptionBeforeOrAfterTheCommandOrTheEnvironment() throws {
        let cli = CLI()
        try cli.initialise()
        let after = try cli.raw(["status", "--store", cli.store, "--json"])
        #expect(after.status == 0, "\(after)")
        let env = try cli.raw(["status", "--json"], environment: ["FIELDSYNC_STORE": cli.store])
        #expect(env.status == 0, "\(env)")
        #expect(after.stdout == env.stdout)
        let status = try cli.json(env) as? [String: Any]
        #expect(status?["volunteer"] as? String == "Nguyễn Thị Lan")
        #expect(status?["unsynced"] as? Int == 0)
    }

    @Test func unusualPhonePrefixWarnsButLogs() throws {
        let cli = CLI()
        try cli.initialise()
        let result = try cli.run("log", "--service", "other", "--outcome", "done", "--name", "A", "--phone", "0301234567")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning:") && result.stderr.contains("030"))
    }

    @Test(arguments: ["init", "log", "list", "show", "edit", "delete", "status"])
    func everyCommandExplainsItselfWithAnExample(command: String) throws {
        let help = try Executables.run("fieldsync", [command, "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"), "\(command) --help needs an example")
    }
}
