import FieldModel
import FieldSyncTesting
import Foundation
import Testing

/// The small things a volunteer meets every day (issue 12).
@Suite struct EverydayTests {
    @Test func aDefaultStoreCommuneNamesAndMistypedCommands() throws {
        let home = TemporaryDirectory(prefix: "fieldsync-home")
        let env: [String: String?] = ["HOME": home.path, "XDG_DATA_HOME": nil, "FIELDSYNC_STORE": nil]
        func run(_ arguments: String...) throws -> ProcessResult { try Executables.run("fieldsync", arguments, environment: env) }

        let ambiguous = try run("init", "--volunteer", "Lan", "--team", "T-01", "--commune", "Ba Đình")
        #expect(ambiguous.status != 0 && ambiguous.stderr.contains("00004 Phường Ba Đình"), "\(ambiguous)")
        let created = try run("init", "--volunteer", "Lan", "--team", "T-01", "--commune", "ba dinh ha noi")
        #expect(created.status == 0 && created.stdout.contains("00004"), "\(created)")
        #expect(FileManager.default.fileExists(atPath: home.file(".local/share/fieldsync/store.sqlite")))
        #expect(try run("status").stdout.contains("00004"), "every new terminal finds the same store")

        let found = try run("communes", "search", "ba", "dinh")
        #expect(found.status == 0 && found.stdout.contains("16171") && found.stdout.contains("Xã Ba Đình"))
        let typo = try run("lst")
        #expect(typo.status == 64 && typo.stderr.contains("Did you mean «list»"), "\(typo)")
        let help = try run("help", "sync")
        #expect(help.status == 0 && help.stdout.contains("--json"), "\(help)")
        for program in ["fieldsync", "fieldsync-network", "fieldsync-server"] {
            let version = try Executables.run(program, ["--version"])
            #expect(version.status == 0 && version.output.split(separator: ".").count == 3, "\(program): \(version)")
        }
    }

    @Test func searchPhonesLandlinesEthAndDuplicates() throws {
        let cli = CLI()
        try cli.initialise()
        let first = try cli.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "\u{00D0}ặng Văn Hùng",
                                "--phone", "+84 (0) 97 123 4567", "--cccd", "001203012345")
        #expect(first.status == 0 && !first.stderr.contains("already logged"), "\(first)")
        let again = try cli.run("log", "--service", "vneid-level2", "--outcome", "done", "--name", "Đặng Văn Hùng",
                                "--cccd", "001203012345", "--phone", "024 3825 1234")
        #expect(again.status == 0 && again.stderr.contains("already logged") && again.stderr.contains(String(first.output.suffix(8))))
        let other = try cli.run("log", "--service", "bank-account", "--outcome", "done", "--name", "Đặng Văn Hùng",
                                "--cccd", "001203012345")
        #expect(!other.stderr.contains("already logged"), "another service is not a duplicate")

        func ids(_ search: String) throws -> Set<String> {
            let list = try cli.json(try cli.run("list", "--search", search, "--json")) as? [[String: Any]] ?? []
            return Set(list.compactMap { $0["id"] as? String })
        }
        #expect(try ids("Đặng").count == 3, "Ð typed for Đ is stored as Đ")
        #expect(try ids("0971234567") == [first.output])
        #expect(try ids("+84 97 123") == [first.output])
        #expect(try ids("02438251234") == [again.output])
        #expect(try ids("203012345").count == 3, "the CCCD typed on this laptop")
    }

    @Test func quietShowsNarrowTablesAndLocalTimes() throws {
        let cli = CLI()
        try cli.initialise()
        let id = try cli.run("log", "--service", "vneid-level2", "--outcome", "failed", "--reason", "otp-not-received",
                             "--name", "Trần Thị Một Cái Tên Rất Dài Để Thử Cột", "--cccd", "001203012345").output
        let show = try cli.run("show", String(id.suffix(8)))
        #expect(show.status == 0 && !show.stdout.contains("Version") && show.stdout.contains("Vietnam time"), "\(show)")
        #expect(try cli.run("show", String(id.suffix(8)), "--verbose").stdout.contains("Version"))
        let edit = try cli.run("edit", id, "--note", "gọi lại")
        // 13 lines: the failed visit comes back in 3 days (its reason's default), shown as a Vietnam day.
        #expect(edit.status == 0 && edit.stdout.split(separator: "\n").count <= 13, "\(edit)")
        let comeBack = VietnamTime.day(of: Date().addingTimeInterval(3 * 86_400)).split(separator: "-").reversed().joined(separator: "/")
        #expect(edit.stdout.contains("Come back on") && edit.stdout.contains(comeBack), "\(edit)")

        let narrow = try Executables.run("fieldsync", ["--store", cli.store, "list"], environment: ["COLUMNS": "60"])
        #expect(narrow.stdout.split(separator: "\n").allSatisfy { $0.count <= 60 }, "\(narrow)")
        #expect(narrow.stderr.contains("--wide") && !narrow.stdout.contains("REASON"))
        let wide = try Executables.run("fieldsync", ["--store", cli.store, "list", "--wide"], environment: ["COLUMNS": "60"])
        #expect(wide.stdout.contains("REASON") && wide.stdout.contains("Rất Dài Để Thử Cột"))

        let future = try Executables.run("fieldsync", ["--store", cli.store, "log", "--service", "other", "--outcome", "done",
                                                       "--name", "A", "--at", "2099-01-01T10:00"], environment: ["TZ": "Asia/Ho_Chi_Minh"])
        #expect(future.status != 0 && future.stderr.contains("01/01/2099 10:00"), "\(future)")
    }

    @Test func everyHelpHasItsExamplesWholeAt80Columns() throws {
        let commands: [(String, [String])] = [
            ("fieldsync", []), ("fieldsync", ["init"]), ("fieldsync", ["log"]), ("fieldsync", ["list"]), ("fieldsync", ["show"]),
            ("fieldsync", ["edit"]), ("fieldsync", ["delete"]), ("fieldsync", ["status"]), ("fieldsync", ["flagged"]),
            ("fieldsync", ["communes", "search"]), ("fieldsync", ["enroll"]), ("fieldsync", ["sync"]),
            ("fieldsync-server", []), ("fieldsync-server", ["serve"]), ("fieldsync-server", ["enrollment-code"]),
            ("fieldsync-server", ["devices", "list"]), ("fieldsync-server", ["devices", "revoke"]), ("fieldsync-server", ["export"]),
            ("fieldsync-server", ["report"]), ("fieldsync-server", ["conflicts", "list"]), ("fieldsync-server", ["conflicts", "show"]),
            ("fieldsync-server", ["conflicts", "resolve"]), ("fieldsync-server", ["duplicates", "resolve"]),
        ]
        for (program, words) in commands {
            let help = try Executables.run(program, words + ["--help"], environment: ["COLUMNS": "80"])
            #expect(help.status == 0 && help.stdout.contains("USAGE"), "\(program) \(words): \(help)")
            let lines = help.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (n, line) in lines.enumerated().dropLast() where line.hasPrefix("  \(program.prefix(9))") || line.hasPrefix("      ") {
                guard line.hasPrefix("  fieldsync") || lines[n - 1].hasSuffix("\\") else { continue }
                let next = lines[n + 1]
                let fine = line.hasSuffix("\\") || next.isEmpty || next.hasPrefix("  fieldsync") || next.hasPrefix("  export")
                #expect(fine, "\(program) \(words): an example breaks after «\(line)» with «\(next)»")
            }
        }
    }
}
