import CSQLite
import FieldModel
import FieldStore
import Foundation
import SQLiteKit

/// Issue 2's figures: one `fieldsync log` process, and bulk insert through the store vs raw SQLite.
enum StoreBenchmark {
    static func run(visits: Int, processes: Int) throws {
        let dir = NSTemporaryDirectory() + "fieldsync-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try logProcess(dir: dir, runs: processes, encrypted: false)
        try logProcess(dir: dir, runs: processes, encrypted: true)
        try bulkInsert(dir: dir, count: visits)
        try encrypted(dir: dir, count: visits)
    }

    /// Issue 15: the same visits into an encrypted store, unlocked (AES-GCM per row) and locked (HPKE
    /// per row, as `fieldsync log` writes without the passphrase), and read back unlocked.
    static func encrypted(dir: String, count: Int) throws {
        let now = Date()
        let drafts = self.drafts(count, now: now)
        let path = dir + "/encrypted.sqlite"
        let store = try FieldStore.create(at: path, volunteer: "Bench", team: "T1", commune: "00004")
        try store.setPassphrase("bench passphrase")
        var start = DispatchTime.now().uptimeNanoseconds
        _ = try store.log(drafts, now: now)
        let unlocked = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        start = DispatchTime.now().uptimeNanoseconds
        let read = try store.visits().count
        let reading = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try store.lock()
        let lockedCount = min(count, 20_000)
        start = DispatchTime.now().uptimeNanoseconds
        _ = try FieldStore.open(at: path).log(Array(drafts.prefix(lockedCount)), now: now)
        let locked = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        start = DispatchTime.now().uptimeNanoseconds
        try FieldStore.open(at: path).unlock(passphrase: "bench passphrase", until: nil)
        let unlock = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
        print(String(format: "unlock (scrypt N=2^15, r=8, p=1): %.0f ms: also the cost of each passphrase guess on a stolen store", unlock))
        print(String(format: "encrypted store: bulk insert of %d visits unlocked %.3f s (%.0f visits/s); %d locked (HPKE per row) %.3f s (%.0f visits/s); read back %d unlocked %.3f s (%.0f visits/s)",
                     count, unlocked, Double(count) / unlocked, lockedCount, locked, Double(lockedCount) / locked, read, reading,
                     Double(read) / reading))
    }

    static func drafts(_ count: Int, now: Date) -> [VisitDraft] {
        // The ID parses: the literal is a valid CCCD.
        let id = try? CitizenID(validating: "001203012345", now: now)
        let services = Service.allCases
        return (0..<count).map { i in
            VisitDraft(service: services[i % services.count], outcome: i % 7 == 0 ? .failed : .done,
                       citizenName: "Nguyễn Văn \(i)", citizenID: i % 2 == 0 ? id : nil,
                       reason: i % 7 == 0 ? .otpNotReceived : nil, note: i % 3 == 0 ? "ghi chú \(i)" : "", visitedAt: now)
        }
    }

    /// Median wall time of a `fieldsync log` process (the binary beside this one), into a store without a
    /// passphrase or an encrypted, locked one (the volunteer's usual state: `log` needs no passphrase).
    static func logProcess(dir: String, runs: Int, encrypted: Bool) throws {
        let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fieldsync").path
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            print("fieldsync log: skipped, no \(binary) (build the fieldsync product first)")
            return
        }
        let store = dir + (encrypted ? "/cli-encrypted.sqlite" : "/cli.sqlite")
        _ = try launch(binary, ["--store", store, "init", "--volunteer", "Bench", "--team", "T1", "--commune", "00004"])
        if encrypted {
            setenv("FIELDSYNC_NEW_PASSPHRASE", "bench passphrase", 1)
            defer { unsetenv("FIELDSYNC_NEW_PASSPHRASE") }
            guard try launch(binary, ["--store", store, "passphrase"]) == 0, try launch(binary, ["--store", store, "lock"]) == 0 else {
                throw BenchError.failed("fieldsync passphrase failed")
            }
        }
        var times: [Double] = []
        for i in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            let status = try launch(binary, ["--store", store, "log", "--service", "vneid-level2", "--outcome", "done",
                                             "--name", "Nguyễn Văn \(i)", "--cccd", "001203012345", "--phone", "0971234567"])
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard status == 0 else { throw BenchError.failed("fieldsync log exited \(status)") }
        }
        times.sort()
        print("fieldsync log process" + (encrypted ? " (encrypted store, locked)" : "")
              + String(format: ": median %.1f ms, p90 %.1f ms, min %.1f ms over %d runs (target < 20 ms median)",
                       times[times.count / 2], times[times.count * 9 / 10], times[0], runs))
    }

    /// Runs a program with posix_spawn (Foundation's Process adds ~35 ms of its own) and waits for it.
    static func launch(_ binary: String, _ arguments: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, environ)
        guard spawned == 0 else { throw BenchError.failed("posix_spawn \(binary): errno \(spawned)") }
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        return (status >> 8) & 0xff
    }

    /// 100,000 visits through `FieldStore.log` (one transaction) vs the same rows by raw SQLite.
    static func bulkInsert(dir: String, count: Int) throws {
        let now = Date()
        let drafts = self.drafts(count, now: now)
        let store = try FieldStore.create(at: dir + "/bulk.sqlite", volunteer: "Bench", team: "T1", commune: "00004")
        let storeStart = DispatchTime.now().uptimeNanoseconds
        _ = try store.log(drafts, now: now)
        let storeSeconds = Double(DispatchTime.now().uptimeNanoseconds - storeStart) / 1e9

        // The same rows, read back as SQL values, inserted by raw SQLite with one prepared statement.
        let source = try Database(path: dir + "/bulk.sqlite")
        let rows = try source.query("SELECT * FROM visits") { row in (0..<row.columnCount).map { row.value($0) } }
        let raw = try Database(path: dir + "/raw.sqlite")
        try raw.execute(try source.scalarText("SELECT sql FROM sqlite_master WHERE name = 'visits'") ?? "")
        try raw.execute("CREATE INDEX visits_by_time ON visits (visited_at); CREATE INDEX visits_by_own_seq ON visits (own_seq) WHERE own_seq > 0")
        let placeholders = Array(repeating: "?", count: rows.first?.count ?? 0).joined(separator: ", ")
        let rawSeconds = try rawInsert(path: dir + "/raw.sqlite", sql: "INSERT INTO visits VALUES (\(placeholders))", rows: rows)

        print(String(format: "bulk insert of %d visits: store %.3f s (%.0f visits/s), raw SQLite %.3f s (%.0f rows/s), store/raw time ratio %.2f×",
                     count, storeSeconds, Double(count) / storeSeconds, rawSeconds, Double(count) / rawSeconds,
                     storeSeconds / rawSeconds))
    }

    /// Times inserting `rows` with `sql` (WAL, synchronous FULL, as the stores write), committing every
    /// `commitEvery` rows, or once at the end when nil.
    static func rawInsert(path: String, sql: String, rows: [[SQLValue]], commitEvery: Int? = nil) throws -> Double {
        var db: OpaquePointer?
        guard sqlite3_open(path, &db) == SQLITE_OK else { throw BenchError.failed("open \(path)") }
        defer { sqlite3_close(db) }
        sqlite3_exec(db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL", nil, nil, nil)
        var statement: OpaquePointer?
        sqlite3_prepare_v2(db, sql, -1, &statement, nil)
        defer { sqlite3_finalize(statement) }
        let start = DispatchTime.now().uptimeNanoseconds
        sqlite3_exec(db, "BEGIN", nil, nil, nil)
        for (n, row) in rows.enumerated() {
            if let commitEvery, n > 0, n % commitEvery == 0 { sqlite3_exec(db, "COMMIT; BEGIN", nil, nil, nil) }
            for (i, value) in row.enumerated() {
                let index = Int32(i + 1)
                switch value {
                case .null: sqlite3_bind_null(statement, index)
                case .integer(let v): sqlite3_bind_int64(statement, index, v)
                case .real(let v): sqlite3_bind_double(statement, index, v)
                case .text(let v): fieldsync_bind_text(statement, index, v, -1)
                case .blob(let v): _ = v.withUnsafeBytes { fieldsync_bind_blob(statement, index, $0.baseAddress, Int32($0.count)) }
                }
            }
            guard sqlite3_step(statement) == SQLITE_DONE else { throw BenchError.failed(String(cString: sqlite3_errmsg(db))) }
            sqlite3_reset(statement)
        }
        sqlite3_exec(db, "COMMIT", nil, nil, nil)
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}

/// A benchmark could not run.
enum BenchError: Error, CustomStringConvertible {
    case failed(String)
    var description: String { if case .failed(let why) = self { why } else { "" } }
}
