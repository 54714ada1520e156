import FieldStore
import FieldSyncTesting
import Foundation
import Testing

/// Offline bundles (Protocol/README.md §9) with the real binaries: visits travel between two laptops
/// and the hub through files only; hostile files are refused with nothing written.
@Suite struct BundleEndToEndTests {
    @Test func visitsTravelThroughFilesOnlyAndHostileBundlesWriteNothing() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan"), binh = try Laptop(dir, "Bình")
        try lan.enroll(hub)
        try binh.enroll(hub)
        // From here on, no network: files only.
        let lans = try ["Hoàng Thị Xoan", "Đinh Văn Lực", "Phan Thị Mơ"].map { try lan.log($0, extra: ["--phone", "0987000333"]) }
        let binhs = try ["Vũ Văn Sơn", "Ngô Thị Yến"].map { try binh.log($0) }
        let answers = dir.file("answers")
        try FileManager.default.createDirectory(atPath: answers, withIntermediateDirectories: true)

        func export(_ laptop: Laptop, _ name: String) throws -> String {
            let path = dir.file(name)
            let result = try laptop.run("bundle", "export", path)
            #expect(result.status == 0, "\(result)")
            return path
        }
        func importAtHub(_ path: String) throws -> (ProcessResult, String?) {
            let result = try hub.command("bundle", "import", path, "--out", answers)
            let answer = result.stdout.components(separatedBy: "written to ").last?.trimmingCharacters(in: .whitespacesAndNewlines)
            return (result, result.status == 0 ? answer : nil)
        }

        let lanBundle = try export(lan, "lan.fsb")
        let sealed = try Data(contentsOf: URL(fileURLWithPath: lanBundle))
        #expect(sealed.range(of: Data("Xoan".utf8)) == nil && sealed.range(of: Data("0987000333".utf8)) == nil,
                "a lost stick shows nothing of the visits")
        let (lanImport, lanAnswer) = try importAtHub(lanBundle)
        #expect(lanImport.status == 0 && lanImport.stdout.contains("3 visits received"), "\(lanImport)")
        #expect(Set(try hubVisits(hub).keys) == Set(lans))
        let applied = try lan.run("bundle", "import", try #require(lanAnswer))
        #expect(applied.status == 0 && applied.stdout.contains("the hub received 3 visit(s)"), "\(applied)")
        #expect(try lan.run("bundle", "import", try #require(lanAnswer)).stdout.contains("applied before"))

        // Bình's bundle brings Lan's visits back in its answer; Lan's next one brings Bình's.
        let (binhImport, binhAnswer) = try importAtHub(try export(binh, "binh.fsb"))
        #expect(binhImport.status == 0, "\(binhImport)")
        #expect(try binh.run("bundle", "import", try #require(binhAnswer)).status == 0)
        #expect(Set(try binh.visits().keys) == Set(lans + binhs))
        let (again, againAnswer) = try importAtHub(try export(lan, "lan-2.fsb"))
        #expect(again.status == 0 && again.stdout.contains("0 visits received"), "nothing was sent twice: \(again)")
        #expect(try lan.run("bundle", "import", try #require(againAnswer)).status == 0)
        #expect(Set(try lan.visits().keys) == Set(lans + binhs), "converged through files only")

        // Hostile files: each refused with a reason, nothing written.
        let before = try hubVisits(hub)
        let replayed = try hub.command("bundle", "import", lanBundle, "--out", answers)
        #expect(replayed.status == 1 && replayed.stderr.contains("already imported"), "\(replayed)")
        var tampered = sealed
        let middle = try #require(sealed.range(of: Data(#""sealed":""#.utf8))).upperBound + 200
        tampered[middle] = tampered[middle] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        try tampered.write(to: URL(fileURLWithPath: dir.file("tampered.fsb")))
        try sealed.prefix(sealed.count / 2).write(to: URL(fileURLWithPath: dir.file("cut.fsb")))
        for (name, why) in [("tampered.fsb", "altered"), ("cut.fsb", "not a FieldSync bundle")] {
            let result = try hub.command("bundle", "import", dir.file(name), "--out", answers)
            #expect(result.status == 1 && result.stderr.contains(why), "\(name): \(result)")
        }
        // An answer for Bình is not Lan's; a bundle of Lan's is not an answer.
        let wrong = try lan.run("bundle", "import", try #require(binhAnswer))
        #expect(wrong.status != 0 && wrong.stderr.contains("another hub or laptop"), "\(wrong)")
        let notAnswer = try lan.run("bundle", "import", lanBundle)
        #expect(notAnswer.status != 0 && notAnswer.stderr.contains("a laptop's bundle, not the hub's answer"), "\(notAnswer)")
        // A revoked laptop's bundle.
        let binhDevice = try #require(try FieldStore.open(at: binh.store).enrollment()?.device)
        #expect(try hub.command("devices", "revoke", binhDevice).status == 0)
        _ = try binh.log("Lý Thị Như")
        let revoked = try hub.command("bundle", "import", try export(binh, "binh-2.fsb"), "--out", answers)
        #expect(revoked.status == 1 && revoked.stderr.contains("revoked"), "\(revoked)")
        #expect(Set(try hubVisits(hub).keys) == Set(before.keys), "no refused bundle wrote anything")
        #expect(hub.terminate() == 0)
    }
}

/// Sessions and published kind versions travel through files as a sync brings them (§9, §12).
@Suite struct KindBundleEndToEndTests {
    @Test func aBundleAnswerBringsPublishedKindsAndSessions() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        let logged = try lan.run("session", "log", "--topic", "vneid", "--trainers", "Nguyễn Văn An", "--attendees", "12")
        #expect(logged.status == 0, "\(logged)")
        let kind = try PublishedVisitKind.version2()
        let file = dir.file("visit-v2.json")
        try JSONEncoder().encode(kind).write(to: URL(fileURLWithPath: file))
        #expect(try hub.command("kinds", "publish", file, "--by", "Hải").status == 0)

        let bundle = dir.file("lan.fsb"), answers = dir.file("answers")
        try FileManager.default.createDirectory(atPath: answers, withIntermediateDirectories: true)
        #expect(try lan.run("bundle", "export", bundle).status == 0)
        let imported = try hub.command("bundle", "import", bundle, "--out", answers)
        #expect(imported.status == 0, "\(imported)")
        let answer = try #require(imported.stdout.components(separatedBy: "written to ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(try lan.run("bundle", "import", answer).status == 0)
        let kinds = try lan.run("kinds")
        #expect(kinds.stdout.contains("version 2") && kinds.stdout.contains("Activated on site"), "\(kinds)")
        let used = try lan.run("log", "--service", "binh-dan-hoc-vu-so", "--outcome", "done", "--name", "Trần Văn Bình",
                               "--set", "activatedOnSite=yes")
        #expect(used.status == 0, "the version the answer brought is used at once: \(used)")
        let csv = try hub.command("export", "--format", "json").stdout
        #expect(!csv.contains("binh-dan-hoc-vu-so"), "not yet at the hub: the next bundle takes it")
    }
}
