import FieldSyncTesting
import Foundation
import Testing

/// The second hostile-input round (issue 27) with the real binaries and scripts.
@Suite struct SecondRoundEndToEndTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Backups never put the key file beside the database copies: the script wants a folder of its own for it,
    /// refuses one inside the backup folder, and makes every folder 0700 from the start.
    @Test func backupsKeepTheKeyFileApart() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Trần Văn Bình", extra: ["--cccd", "001203012345"])
        try lan.sync()
        #expect(FileManager.default.fileExists(atPath: dir.file("hub.sqlite.keys")))
        let script = Self.root.appendingPathComponent("Tools/ops/backup-hub.sh").path
        let backups = dir.file("backups"), keys = dir.file("keys")
        let missing = try Executables.run("/bin/bash", [script, dir.file("hub.sqlite"), backups])
        #expect(missing.status != 0 && missing.stderr.contains("third folder"), "\(missing)")
        let inside = try Executables.run("/bin/bash", [script, dir.file("hub.sqlite"), backups, backups + "/keys"])
        #expect(inside.status != 0 && inside.stderr.contains("apart"), "\(inside)")
        let done = try Executables.run("/bin/bash", [script, dir.file("hub.sqlite"), backups, keys])
        #expect(done.status == 0, "\(done)")
        let copies = try FileManager.default.contentsOfDirectory(atPath: backups)
        #expect(copies.count == 1 && copies.allSatisfy { $0.hasPrefix("hub-") && $0.hasSuffix(".sqlite") }, "\(copies)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: keys) == ["hub.keys"])
        for (path, mode) in [(backups, 0o700), (keys, 0o700), (keys + "/hub.keys", 0o600)] {
            let found = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
            #expect(found == mode, "\(path): \(String(found, radix: 8))")
        }
    }

    /// `bundle import` goes on past a folder or a missing file, names each, and imports the good bundle after them.
    @Test func aBundleImportGoesOnPastFilesItCannotRead() throws {
        let dir = TemporaryDirectory()
        let hub = try HubProcess(database: dir.file("hub.sqlite"))
        let lan = try Laptop(dir, "Lan")
        try lan.enroll(hub)
        _ = try lan.log("Hoàng Thị Xoan")
        let bundle = dir.file("lan.fsb")
        #expect(try lan.run("bundle", "export", bundle).status == 0)
        let folder = dir.file("a-folder")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let answers = dir.file("answers")
        try FileManager.default.createDirectory(atPath: answers, withIntermediateDirectories: true)
        let result = try hub.command("bundle", "import", folder, dir.file("missing.fsb"), bundle, "--out", answers)
        #expect(result.status == 1, "some were refused")
        #expect(result.stderr.contains("a folder") && result.stderr.contains("no such file"), "\(result)")
        #expect(result.stdout.contains("1 visits received"), "the good bundle after them was imported: \(result)")
        #expect(try hubVisits(hub).count == 1)
    }
}
