import FieldSyncTesting
import Foundation
import SQLiteKit
import Testing

@Suite struct BadInputTests {
    static let base = ["log", "--service", "vneid-level1", "--outcome", "done", "--name", "Phạm Thị Mai"]

    /// A rejected command must exit non-zero with one line on stderr that says why, and write nothing.
    @Test(arguments: [
        (["--cccd", "00120301234"], "exactly 12"),
        (["--cccd", "001403012345"], "future"),
        (["--cccd", "003203012345"], "province"),
        (["--phone", "01621234567"], "0321234567"),
        (["--phone", "12345"], "Vietnamese phone number"),
        (["--commune", "99999"], "catalogue"),
        (["--commune", "00013"], "00004"),
        (["--commune", "4"], "5 digits"),
        (["--at", "31/02/2025"], "not a date FieldSync reads"),
        (["--at", "2025/11/20"], "20/11/2025, 20/11/2025 09:30 (Vietnam time)"),
        (["--at", "2099-01-01"], "after today"),
        (["--reason", "otp-not-received"], "done visit has no failure reason"),
        (["--outcome", "failed"], "needs a reason"),
        (["--outcome", "ok"], "unknown outcome"),
        (["--service", "vneid"], "unknown service"),
        (["--name", "   "], "citizen name is empty"),
        (["--cccd", "001203012345", "--no-consent"], "consent"),
    ])
    func rejectsBadVisitInput(extra: [String], reason: String) throws {
        let cli = CLI()
        try cli.initialise()
        try cli.run("log", "--service", "other", "--outcome", "done", "--name", "Đã có")
        let before = try cli.snapshot()
        let result = try cli.raw(["--store", cli.store] + Self.base + extra)
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1, "\(result)")
        #expect(result.stderr.contains(reason), "\(result)")
        #expect(result.stdout.isEmpty)
        #expect(try cli.snapshot() == before, "a rejected command must not change the store")
    }

    @Test func rejectsBadEdits() throws {
        let cli = CLI()
        try cli.initialise()
        let id = try cli.run("log", "--service", "other", "--outcome", "done", "--name", "A").output
        let before = try cli.snapshot()
        for (arguments, reason) in [
            (["edit", id, "--phone", "123"], "Vietnamese phone number"),
            (["edit", id], "nothing to change"),
            (["edit", "nothing!", "--note", "x"], "not a visit id"),
            (["edit", "00000000", "--note", "x"], "no visit with id"),
            (["show", "12"], "not a visit id"),
            (["delete", "ffffffff-ffff-4fff-bfff-ffffffffffff"], "no visit with id"),
        ] {
            let result = try cli.raw(["--store", cli.store] + arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.errorLines.count == 1 && result.stderr.contains(reason), "\(arguments): \(result)")
        }
        #expect(try cli.snapshot() == before)
    }

    @Test func missingStoreOrPathSaysHowToCreateOne() throws {
        let cli = CLI()
        let missing = try cli.run("list")
        #expect(missing.status != 0)
        #expect(missing.errorLines.count == 1 && missing.stderr.contains("fieldsync init"))
        #expect(!FileManager.default.fileExists(atPath: cli.store), "reading must not create a store")
        let noPath = try cli.raw(["list"])
        #expect(noPath.status != 0 && noPath.stderr.contains("FIELDSYNC_STORE"))
        try cli.initialise()
        let again = try cli.run("init", "--volunteer", "X", "--team", "T", "--commune", "00004")
        #expect(again.status != 0 && again.stderr.contains("already exists"))
    }

    @Test func refusesAStoreOfANewerSchema() throws {
        let cli = CLI()
        try cli.initialise()
        do {
            let db = try Database(path: cli.store)
            try db.execute("PRAGMA user_version = 42")
        }
        let result = try cli.run("log", "--service", "other", "--outcome", "done", "--name", "A")
        #expect(result.status != 0)
        #expect(result.errorLines.count == 1 && result.stderr.contains("newer FieldSync"), "\(result)")
        #expect(try Database(path: cli.store).userVersion == 42)
        #expect(try Database(path: cli.store).scalarInt("SELECT count(*) FROM visits") == 0)
    }

    @Test(.enabled(if: Executables.canIsolate, "needs user namespaces (unshare) to mount a read-only disk"))
    func readOnlyDiskGivesAClearErrorAndLosesNothing() throws {
        let cli = CLI()
        try cli.initialise()
        try cli.run("log", "--service", "other", "--outcome", "done", "--name", "Trước")
        let before = try cli.snapshot()
        let bin = Executables.path("fieldsync")
        let script = """
            mount --bind \(cli.dir.path) \(cli.dir.path) && mount -o remount,ro,bind \(cli.dir.path) || exit 99
            \(bin) --store \(cli.store) log --service other --outcome done --name "Sau"
            """
        let result = try Executables.runIsolated(script)
        #expect(result.status != 0 && result.status != 99, "\(result)")
        #expect(result.errorLines.count == 1 && result.stderr.contains("read-only"), "\(result)")
        #expect(try cli.snapshot() == before)
    }

    @Test(.enabled(if: Executables.canIsolate, "needs user namespaces (unshare) to mount a small tmpfs"))
    func fullDiskGivesAClearErrorAndLosesNothing() throws {
        let dir = TemporaryDirectory()
        let mount = dir.file("disk")
        try FileManager.default.createDirectory(atPath: mount, withIntermediateDirectories: true)
        let bin = Executables.path("fieldsync")
        let store = "\(mount)/s.sqlite"
        let script = """
            mount -t tmpfs -o size=512k tmpfs \(mount) || exit 99
            \(bin) --store \(store) init --volunteer Lan --team T1 --commune 00004 --no-passphrase > /dev/null || exit 98
            \(bin) --store \(store) log --service other --outcome done --name "Trước" > /dev/null || exit 97
            dd if=/dev/zero of=\(mount)/filler bs=4k 2> /dev/null
            \(bin) --store \(store) log --service other --outcome done --name "Sau" --note "$(head -c 1500 /dev/zero | tr '\\0' x)"
            echo "rc=$?"
            rm \(mount)/filler
            \(bin) --store \(store) list --all --json
            """
        let result = try Executables.runIsolated(script)
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("rc=1"), "\(result)")
        #expect(result.errorLines.count == 1 && result.stderr.contains("disk") && result.stderr.contains("full"), "\(result)")
        #expect(result.stdout.contains("Trước") && !result.stdout.contains("\"Sau\""), "\(result)")
    }
}
