import FieldSyncTesting
import Foundation
import Localization
import Testing

/// Every command's output and help, and every report, read in Vietnamese (the default) and in English: no English
/// string of the catalogue, raw code, true/false or UTC time in Vietnamese text for people; no Vietnamese string of
/// the catalogue in English.
@Suite struct PeopleWordsEndToEndTests {
    /// The hub and laptops with something in every report: a conflict, a duplicate, a failed visit, a flagged visit.
    struct World {
        let dir = TemporaryDirectory()
        let hub: HubProcess
        let lan: Laptop, binh: Laptop
        let visit: String, duplicate: String, kept: String, conflict: String

        init() throws {
            hub = try HubProcess(database: dir.file("hub.sqlite"))
            lan = try Laptop(dir, "Lan")
            binh = try Laptop(dir, "Bình")
            try lan.enroll(hub)
            try binh.enroll(hub)
            visit = try lan.log("Đỗ Văn Nam", outcome: "failed", extra: ["--reason", "citizen-declined", "--phone", "0971234567"])
            kept = try lan.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
            duplicate = try binh.log("Trần Thị Thu", extra: ["--cccd", "079190123456"])
            _ = try binh.log("Nhập nhầm xã", extra: ["--commune", "00008"])
            try lan.sync()
            try binh.sync()
            try lan.run("edit", visit, "--note", "hẹn quay lại thứ Hai")
            try binh.run("edit", visit, "--note", "đã kích hoạt xong")
            try lan.sync()
            try binh.sync()
            let list = try JSONSerialization.jsonObject(with: Data(try hub.command("conflicts", "list", "--json").stdout.utf8)) as? [[String: Any]]
            conflict = try #require(list?.first?["id"] as? String)
        }
    }

    static func run(_ program: String, _ arguments: [String], _ language: Language) throws -> ProcessResult {
        try Executables.run(program, arguments, environment: ["FIELDSYNC_LANG": language == .english ? "en" : nil, "COLUMNS": "100"])
    }

    static func check(_ text: String, _ what: String, _ language: Language, codesAllowed: Bool = false) {
        let leaks = PeopleWords.leaks(in: text, language: language, codesAllowed: codesAllowed)
        #expect(leaks.isEmpty, "\(what) (\(language.rawValue)): \(leaks.joined(separator: ", "))\n\(text.prefix(3000))")
    }

    @Test(arguments: Language.allCases)
    func everyCommandAndReportSpeaksThePersonsLanguage(language: Language) throws {
        let w = try World()
        let lan = ["--store", w.lan.store], binh = ["--store", w.binh.store]
        let laptop: [[String]] = [
            lan + ["status"], lan + ["list"], lan + ["list", "--all", "--wide"], lan + ["show", String(w.visit.suffix(8))],
            lan + ["edit", String(w.visit.suffix(8)), "--phone", "0981234567"], lan + ["flagged"], binh + ["flagged"], binh + ["status"],
            lan + ["communes", "search", "ba dinh"], lan + ["sync"], binh + ["sync"], lan + ["kinds"],
            lan + ["log", "--service", "e-wallet", "--outcome", "pending", "--reason", "otp-not-received", "--name", "Lê Văn Tư",
                   "--at", "07/12/2026 08:30"],
            lan + ["delete", String(w.kept.suffix(8))], lan + ["consent", "withdraw", String(w.visit.suffix(8))],
            // Errors people make.
            lan + ["log", "--service", "vneid", "--outcome", "done", "--name", "A"], lan + ["log", "--service", "other", "--outcome", "done",
                                                                                            "--name", "A", "--cccd", "12345"],
            lan + ["log", "--service", "other", "--outcome", "failed", "--name", "A"], lan + ["show", "zzzzzzzz"],
            lan + ["log", "--service", "other", "--outcome", "done", "--name", "A", "--at", "31/02/2026"], ["lst"],
        ]
        for arguments in laptop {
            let result = try Self.run("fieldsync", arguments, language)
            // An unknown code is answered with the codes to use: documented option values, with their labels.
            let listsCodes = arguments.contains("vneid") || (arguments.contains("failed") && !arguments.contains("--reason"))
            Self.check(result.stdout + result.stderr, "fieldsync \(arguments.dropFirst(2).joined(separator: " "))", language,
                       codesAllowed: listsCodes)
        }
        let helps: [[String]] = [[], ["init"], ["log"], ["list"], ["show"], ["edit"], ["delete"], ["status"], ["flagged"], ["communes", "search"],
                                 ["consent", "withdraw"], ["passphrase"], ["unlock"], ["lock"], ["recover"], ["enroll"], ["sync"],
                                 ["bundle"], ["peer"], ["kinds"], ["session"], ["session", "log"], ["session", "list"]]
        for words in helps {
            let help = try Self.run("fieldsync", words + ["--help"], language)
            #expect(help.status == 0)
            Self.check(help.stdout, "fieldsync \(words.joined(separator: " ")) --help", language, codesAllowed: true)
        }

        let serverHelps: [[String]] = [["report"], ["conflicts"], ["conflicts", "list"], ["conflicts", "show"], ["conflicts", "resolve"],
                                       ["devices", "list"], ["devices", "revoke"], ["duplicates", "resolve"], ["export"], ["enrollment-code"]]
        for words in serverHelps {
            let help = try Self.run("fieldsync-server", words + ["--help"], language)
            #expect(help.status == 0)
            Self.check(help.stdout, "fieldsync-server \(words.joined(separator: " ")) --help", language, codesAllowed: true)
        }
        let store = w.hub.storeArguments
        let server: [[String]] = [
            ["report", "merge"], ["report", "merge", "--format", "html"], ["report", "progress"], ["report", "progress", "--format", "html"],
            ["report", "devices"], ["report", "devices", "--format", "html"], ["report", "duplicates"],
            ["report", "duplicates", "--format", "html"], ["conflicts", "list", "--status", "all"], ["conflicts", "show", w.conflict],
            ["devices", "list"], ["conflicts", "resolve", w.conflict, "--take", "--by", "Phạm Văn Hải"],
            ["conflicts", "resolve", w.conflict, "--keep"], ["conflicts", "list", "--status", "resolved"],
            ["duplicates", "resolve", String(w.duplicate.suffix(8)), "--keep", String(w.kept.suffix(8)), "--by", "Hải"],
            ["export", "--format", "people-csv"], ["reprot", "merge"],
        ]
        for arguments in server {
            let result = try Self.run("fieldsync-server", store + arguments, language)
            Self.check(result.stdout + result.stderr, "fieldsync-server \(arguments.joined(separator: " "))", language)
        }
    }
}
