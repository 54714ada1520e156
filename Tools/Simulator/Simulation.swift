import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import Foundation
import HubPostgres
import HubCore
import HubSQLite
import SyncCore
import Synchronization
import SyncProtocol

/// N simulated laptops, each a real field store driven through the code the CLI uses, syncing over
/// real HTTP with a real hub process, with faults injected; then every invariant is checked.
struct Simulation {
    struct Options: Sendable {
        var devices = 20
        var visits = 20
        var devicesPerCommune = 4
        var seed: UInt64 = 1
        var lanes = 8
        var faults: Set<Fault> = []
        var directory: String?
        /// Where the hub's store goes (default: beside the laptops').
        var hubDirectory: String?
        /// A PostgreSQL store shared by `hubs` hub processes, instead of one hub on a SQLite file.
        var database: String?
        var hubs = 1
    }

    /// The hubs' store, read directly for issuing codes and for the final checks.
    enum Central {
        case sqlite(String)
        case postgres(PostgresHubStore)

        func enrollmentCode(commune: String, team: String) async throws -> String {
            let scope = Scope(team: team, commune: commune)
            switch self {
            case .sqlite(let path): return try await HubService(path: path).createEnrollmentCode(role: .volunteer, scope: scope, validFor: 86_400)
            case .postgres(let store): return try await store.createEnrollmentCode(role: .volunteer, scope: scope, validFor: 86_400)
            }
        }

        func visits(in commune: String) async throws -> [(visit: Visit, version: VersionVector)] {
            switch self {
            case .sqlite(let path): return try HubStore(path: path, readOnly: true).visits(in: Scope(commune: commune))
            case .postgres(let store):
                let found = Mutex<[(visit: Visit, version: VersionVector)]>([])
                try await store.forEachVisit(in: Scope(commune: commune)) { visit, version in found.withLock { $0.append((visit, version)) } }
                return found.withLock { $0 }
            }
        }

        /// Compacts below the tombstone horizon (as `fieldsync-server compact` does beside a running hub).
        func compact(grace: TimeInterval) async throws -> Int {
            switch self {
            case .sqlite(let path): return try await HubService(path: path).compact(grace: grace, dryRun: false, now: Date()).tombstones
            case .postgres(let store): return try await store.compact(grace: grace, dryRun: false, now: Date()).tombstones
            }
        }

        /// The ids the hub compacted (it keeps them, without data).
        func forgottenIDs() async throws -> Set<String> {
            switch self {
            case .sqlite(let path): return try await HubService(path: path, readOnly: true).forgottenIDs()
            case .postgres(let store): return try await store.forgottenIDs()
            }
        }

        func conflictIDs() async throws -> Set<String> {
            switch self {
            case .sqlite(let path): return Set(try await HubService(path: path, readOnly: true).conflicts(status: .all, since: nil, until: nil, scope: Scope()).map(\.id))
            case .postgres(let store):
                return Set(try await store.conflicts(status: .all, since: nil, until: nil, scope: Scope()).map(\.id))
            }
        }
    }

    let options: Options

    /// One lane drives its own laptops; a laptop belongs to one lane, so no store is shared.
    struct Laptop {
        let index: Int
        let path: String
        let commune: String
        var logged: [String] = []
        /// Visits this laptop deleted: no store may show them live again.
        var deleted: [String] = []
        var backup: String?
        var restored = false
    }

    func run() async throws -> Bool {
        guard let url = options.database else { return try await run(central: nil) }
        return try await PostgresHubStore.withStore(url: url, connections: 4) { store in try await run(central: .postgres(store)) }
    }

    func run(central given: Central?) async throws -> Bool {
        let dir = TemporaryDirectory(prefix: "fieldsync-sim")
        let root = options.directory ?? dir.path
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        setenv("FIELDSYNC_BIN_DIR", URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path, 0)
        let hubRoot = options.hubDirectory ?? root
        try FileManager.default.createDirectory(atPath: hubRoot, withIntermediateDirectories: true)
        for suffix in ["", "-wal", "-shm", ".log"] { try? FileManager.default.removeItem(atPath: hubRoot + "/hub.sqlite" + suffix) }
        let hubs = try (0..<max(1, options.database == nil ? 1 : options.hubs)).map { i in
            try HubProcess(database: options.database ?? hubRoot + "/hub.sqlite", log: hubRoot + "/hub-\(i).log")
        }
        let hub = hubs[0]
        let central = given ?? .sqlite(hub.database)
        // Every request goes to one of the hubs at random, as behind a load balancer.
        let transport = FaultyTransport(seed: options.seed &* 31 &+ 7, faults: options.faults, ports: hubs.map(\.port))
        transport.active = false  // faults start once the fleet is enrolled
        let client = SyncClient(transport: transport)
        var random = SeededRandom(seed: options.seed)
        let communes = CommuneCatalogue.shared.communes.keys.sorted()
        let start = DispatchTime.now().uptimeNanoseconds
        print("simulating \(options.devices) laptops × \(options.visits) visits, \(hubs.count) hub process(es) on "
              + (options.database == nil ? "SQLite" : "PostgreSQL") + ", seed \(options.seed), faults: "
              + (options.faults.isEmpty ? "none" : options.faults.map(\.rawValue).sorted().joined(separator: ", ")))

        // Laptops: a few per commune, so visits are shared and edited concurrently. Codes are issued
        // through a second connection to the hub's store (as `fieldsync-server enrollment-code` does).
        var laptops: [Laptop] = []
        for i in 0..<options.devices {
            let commune = communes[(i / max(1, options.devicesPerCommune) * 37) % communes.count]
            let path = root + "/laptop-\(i).sqlite"
            let store = try FieldStore.create(at: path, volunteer: "Tình nguyện viên \(i)", team: "T-\(i)", commune: commune)
            let code = try await central.enrollmentCode(commune: commune, team: "T-\(i)")
            _ = try await client.enroll(store, server: hub.url, code: code)
            laptops.append(Laptop(index: i, path: path, commune: commune))
        }
        let clockAhead = options.faults.contains(.clock) ? Int.random(in: 0..<options.devices, using: &random) : -1
        let restoring = options.faults.contains(.restore) ? Set((0..<max(1, options.devices / 10)).map { _ in Int.random(in: 0..<options.devices, using: &random) }) : []

        transport.active = true
        // Hub faults run beside the laptops until they finish.
        let compactions = Mutex((runs: 0, tombstones: 0))
        let chaos = Task { [options] in
            var random = SeededRandom(seed: options.seed &+ 99)
            var events = 0
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: UInt64.random(in: 300_000_000...1_500_000_000, using: &random))
                if Task.isCancelled { break }
                if options.faults.contains(.compact) {
                    // Losing this error is safe: a compaction that meets a killed hub or a full disk is simply not counted.
                    if let removed = try? await central.compact(grace: Double.random(in: 0...2, using: &random)) {
                        compactions.withLock { $0.runs += 1; $0.tombstones += removed }
                    }
                }
                if options.faults.contains(.kill), Bool.random(using: &random) {
                    let victim = hubs[Int.random(in: 0..<hubs.count, using: &random)]
                    victim.kill()
                    try? await Task.sleep(nanoseconds: 100_000_000)
                    try? victim.restart()
                    events += 1
                } else if options.faults.contains(.diskfull), options.database == nil, Int.random(in: 0..<4, using: &random) == 0 {
                    hub.kill()
                    hub.extraArguments = ["--max-db-pages", "1"]
                    try? hub.restart()
                    try? await Task.sleep(nanoseconds: 400_000_000)
                    hub.kill()
                    hub.extraArguments = []
                    try? hub.restart()
                    events += 1
                }
            }
            return events
        }

        // The laptops, in lanes.
        let lanes = max(1, min(options.lanes, laptops.count))
        var lanesOfLaptops = Array(repeating: [Laptop](), count: lanes)
        for laptop in laptops { lanesOfLaptops[laptop.index % lanes].append(laptop) }
        let results = try await withThrowingTaskGroup(of: ([Laptop], Int, Int).self) { group in
            for (n, own) in lanesOfLaptops.enumerated() {
                let seed = options.seed &+ UInt64(n) &* 1_000_003
                group.addTask {
                    try await Self.drive(own, visits: self.options.visits, seed: seed, client: client, clockAhead: clockAhead,
                                         restoring: restoring)
                }
            }
            var all: [([Laptop], Int, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        chaos.cancel()
        let hubEvents = await chaos.value
        transport.active = false
        let finishedWork = DispatchTime.now().uptimeNanoseconds
        laptops = results.flatMap(\.0).sorted { $0.index < $1.index }
        let syncs = results.reduce(0) { $0 + $1.1 }, failedSyncs = results.reduce(0) { $0 + $1.2 }

        // Every write reaches everyone: hub up without faults, every laptop syncs twice.
        for hub in hubs where hub.pid == nil { hub.extraArguments = []; try hub.restart() }
        if options.faults.contains(.compact) {
            // Once more before the final syncs, with no grace: every tombstone goes, pulled or not.
            let removed = try await central.compact(grace: 0)
            compactions.withLock { $0.runs += 1; $0.tombstones += removed }
        }
        // On PostgreSQL a change reaches pulls once every older transaction on the server has ended
        // (Protocol/README.md §7.1): on a busy server that can take a moment, so the fleet syncs again
        // (up to 30 times, a second apart) until it converges; the checks then must hold.
        var problems: [String] = []
        var loggedTotal = 0
        var finalRounds = 0
        for round in 0..<(options.database == nil ? 1 : 30) {
            if round > 0 { try await Task.sleep(for: .seconds(1)) }
            finalRounds = round + 1
            for _ in 0..<(round == 0 ? 2 : 1) {
                for laptop in laptops {
                    let store = try FieldStore.open(at: laptop.path)
                    var attempt = 0
                    while true {
                        do { _ = try await client.sync(store); break } catch {
                            attempt += 1
                            if attempt > 5 { print("laptop \(laptop.index) could not sync: \(error)"); break }
                        }
                    }
                }
            }

            // Checks.
            problems = []
            loggedTotal = 0
            var atHub: [String: [String: VisitDocument]] = [:]
            for commune in Set(laptops.map(\.commune)) {
                atHub[commune] = Dictionary(uniqueKeysWithValues: try await central.visits(in: commune).map {
                    ($0.visit.id, VisitDocument($0.visit, version: $0.version))
                })
            }
            let hubConflicts = try await central.conflictIDs()
            let forgotten = try await central.forgottenIDs()
            for laptop in laptops {
                let store = try FieldStore.open(at: laptop.path)
                let mine = Dictionary(uniqueKeysWithValues: try store.visits(VisitFilter(includeDeleted: true)).map {
                    ($0.visit.id, VisitDocument($0.visit, version: $0.version))
                })
                if mine != atHub[laptop.commune] ?? [:] {
                    let missing = Set((atHub[laptop.commune] ?? [:]).keys).subtracting(mine.keys).count
                    let differing = mine.filter { atHub[laptop.commune]?[$0.key] != $0.value }.map(\.key).sorted()
                    problems.append("laptop \(laptop.index) differs from the hub in commune \(laptop.commune): \(missing) missing, "
                                    + "\(differing.count) different" + (differing.isEmpty ? "" : " (\(differing.prefix(3).joined(separator: ", ")))"))
                }
                for id in laptop.logged where atHub[laptop.commune]?[id] == nil && !forgotten.contains(id) {
                    problems.append("visit \(id) logged on laptop \(laptop.index) is not at the hub")
                }
                for id in laptop.deleted where atHub[laptop.commune]?[id]?.deleted == false {
                    problems.append("visit \(id) deleted on laptop \(laptop.index) is live again at the hub")
                }
                loggedTotal += laptop.logged.count
                for conflict in try store.conflicts() where !hubConflicts.contains(conflict.id) {
                    problems.append("conflict \(conflict.id) found on laptop \(laptop.index) is not in the hub's merge report")
                }
            }
            if problems.isEmpty { break }
        }
        let elapsed = Double(finishedWork - start) / 1e9
        if finalRounds > 1 { print("converged after \(finalRounds) final rounds of syncs") }

        // Figures.
        func percentile(_ values: [Double], _ p: Double) -> String {
            guard !values.isEmpty else { return "-" }
            let sorted = values.sorted()
            return String(format: "%.0f ms", sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] * 1000)
        }
        let rss = hubs.map { hub in
            hub.pid.flatMap { pid in
                (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8))?.split(separator: "\n")
                    .first { $0.hasPrefix("VmHWM") }.map { $0.split(separator: " ", omittingEmptySubsequences: true).dropFirst().joined(separator: " ") }
            } ?? "?"
        }.joined(separator: ", ")
        let laptopBytes = laptops.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        let hubBytes = ["", "-wal"].reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: hub.database + $1)[.size] as? Int) ?? 0) }
        print(String(format: "logged %d visits in %.1f s (%.0f visits/s across the fleet), %d syncs (%d cut short by faults)",
                     loggedTotal, elapsed, Double(loggedTotal) / elapsed, syncs, failedSyncs))
        print("push latency p50 \(percentile(transport.pushLatencies, 0.5)), p95 \(percentile(transport.pushLatencies, 0.95)), "
              + "p99 \(percentile(transport.pushLatencies, 0.99)) over \(transport.pushLatencies.count) pushes")
        print("pull latency p50 \(percentile(transport.pullLatencies, 0.5)), p95 \(percentile(transport.pullLatencies, 0.95)), "
              + "p99 \(percentile(transport.pullLatencies, 0.99)) over \(transport.pullLatencies.count) pulls")
        print("hub peak RSS \(rss); hub store \(hubBytes / 1024) KiB; laptop stores \(laptopBytes / 1024) KiB in all")
        print("faults injected: hub restarts \(hubEvents)" + transport.injected.sorted { $0.key < $1.key }.map { ", \($0.key) \($0.value)" }.joined()
              + (restoring.isEmpty ? "" : ", restored laptops \(laptops.filter(\.restored).count)")
              + (options.faults.contains(.compact) ? compactions.withLock { ", compactions \($0.runs) (\($0.tombstones) deleted visits)" } : "") + (clockAhead >= 0 ? ", clock a year ahead on laptop \(clockAhead)" : ""))
        for hub in hubs { hub.terminate() }
        if problems.isEmpty {
            print("OK: every laptop equals the hub in its commune, every visit logged is at the hub (or was deleted and compacted), "
                  + "every conflict is in the merge report")
            return true
        }
        for problem in problems.prefix(20) { print("FAIL: \(problem)") }
        print("FAILED with \(problems.count) problem(s); replay with --seed \(options.seed)")
        return false
    }

    /// One lane: its laptops log, edit, delete and sync at random until each logged its visits.
    static func drive(_ laptops: [Laptop], visits: Int, seed: UInt64, client: SyncClient, clockAhead: Int,
                      restoring: Set<Int>) async throws -> ([Laptop], Int, Int) {
        var laptops = laptops
        var random = SeededRandom(seed: seed)
        var syncs = 0, failed = 0
        let services = Service.allCases
        let names = ["Nguyễn Văn An", "Trần Thị Bích", "Lê Văn Cường", "Phạm Thị Dung", "Hoàng Văn Em", "Đặng Thị Giang", "Vũ Văn Hùng"]
        while let pick = laptops.indices.filter({ laptops[$0].logged.count < visits }).randomElement(using: &random) {
            var laptop = laptops[pick]
            let store = try FieldStore.open(at: laptop.path)
            let ahead = laptop.index == clockAhead && laptop.logged.count < visits / 2
            let now = Date().addingTimeInterval(ahead ? 365 * 86_400 : 0)
            switch Int.random(in: 0..<100, using: &random) {
            case 0..<60:
                let failedVisit = Int.random(in: 0..<6, using: &random) == 0
                let draft = VisitDraft(
                    service: services[Int.random(in: 0..<services.count, using: &random)], outcome: failedVisit ? .failed : .done,
                    citizenName: names[Int.random(in: 0..<names.count, using: &random)] + " \(laptop.logged.count)",
                    citizenID: Int.random(in: 0..<3, using: &random) == 0 ? try? CitizenID(validating: "0012030\(String(format: "%05d", Int.random(in: 0..<500, using: &random)))") : nil,
                    reason: failedVisit ? .otpNotReceived : nil, visitedAt: now > Date() ? Date() : now)
                laptop.logged.append(try store.log(draft, now: now).visit.id)
            case 60..<80:
                // Edit any visit this laptop holds (its own, or one pulled from a colleague).
                if let visit = try store.visits().randomElement(using: &random) {
                    var changes = VisitChanges()
                    if Bool.random(using: &random) {
                        changes.note = "theo dõi \(Int.random(in: 0..<1000, using: &random))"
                    } else {
                        changes.outcome = .pending
                        changes.reason = .some(.applicationPending)
                    }
                    _ = try? store.edit(visit.visit.id, changes, now: now)
                }
            case 80..<83:
                // Losing this error is safe: a delete refused here (a visit of another commune) is simply not counted.
                if let visit = try store.visits().randomElement(using: &random), (try? store.delete(visit.visit.id, now: now)) != nil {
                    laptop.deleted.append(visit.visit.id)
                }
            default:
                syncs += 1
                do {
                    _ = try await client.sync(store)
                    if restoring.contains(laptop.index) {
                        if laptop.backup == nil {
                            laptop.backup = laptop.path + ".backup"
                            try? FileManager.default.removeItem(atPath: laptop.backup!)
                            try FileManager.default.copyItem(atPath: laptop.path, toPath: laptop.backup!)
                        } else if !laptop.restored, laptop.logged.count > visits / 2, let backup = laptop.backup {
                            // Everything it logged is at the hub; the disk dies and the old copy comes back.
                            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: laptop.path + suffix) }
                            try FileManager.default.copyItem(atPath: backup, toPath: laptop.path)
                            laptop.restored = true
                        }
                    }
                } catch {
                    failed += 1
                }
            }
            laptops[pick] = laptop
        }
        return (laptops, syncs, failed)
    }
}
