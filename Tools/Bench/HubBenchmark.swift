import CSQLite
import FieldModel
import FieldStore
import FieldSyncClient
import Foundation
import HubServer
import HubCore
import HubSQLite
import SQLiteKit
import SyncCore
import SyncProtocol

/// One engine's merge throughput against raw inserts of the same rows (issue 28's fair limit).
struct MergeFigures {
    let engine: String
    /// Changes per second merged in process, one push after another.
    let merge: Double
    /// Rows per second inserted raw, one commit per 500.
    let rawCommitted: Double
    /// Rows per second inserted raw in one transaction.
    let rawOneTransaction: Double
    /// What the run found against issue 28's goal.
    let goal: Double

    init(engine: String, merge: Double, rawCommitted: Double, rawOneTransaction: Double, goal: Double = 0.7) {
        (self.engine, self.merge, self.rawCommitted, self.rawOneTransaction, self.goal) = (engine, merge, rawCommitted, rawOneTransaction, goal)
    }

    /// A Markdown table of the engines side by side.
    static func table(_ rows: [MergeFigures]) -> String {
        var lines = ["| engine | merge (changes/s) | raw, commit per 500 (rows/s) | raw, one transaction (rows/s) | merge / same-commit raw (goal) | merge / one transaction |",
                     "|---|---:|---:|---:|---:|---:|"]
        for row in rows {
            lines.append("| \(row.engine) " + String(format: "| %.0f | %.0f | %.0f | %.2f (≥ %.1f) | %.2f |", row.merge, row.rawCommitted,
                                row.rawOneTransaction, row.merge / row.rawCommitted, row.goal, row.merge / row.rawOneTransaction))
        }
        return lines.joined(separator: "\n")
    }
}

/// Issue 4's figures: the hub's merge in process vs raw SQLite, and sync over loopback HTTP.
enum HubBenchmark {
    static let communes = ["00004", "00008", "00025", "00070", "00082"]

    /// `count` new visit states from `devices` laptops, in push batches of 500, with their devices.
    static func batches(hub: some HubStorage, count: Int, devices: Int) async throws -> [(Device, PushRequest)] {
        var result: [(Device, PushRequest)] = []
        let start = Date(timeIntervalSince1970: 1_763_600_000)
        let services = Service.allCases
        var laptops: [(Device, ReplicaState)] = []
        for d in 0..<devices {
            let commune = communes[d % communes.count]
            let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-\(d)", commune: commune), validFor: 86_400)
            let token = try await hub.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Tình nguyện viên \(d)")).token
            laptops.append((try await hub.authenticate(token: token), ReplicaState(id: ReplicaID.random())))
        }
        var perDevice = count / devices
        if perDevice == 0 { perDevice = 1 }
        for d in 0..<devices {
            var replica = laptops[d].1
            var records: [RecordState] = []
            for i in 0..<perDevice {
                let n = d * perDevice + i
                let failed = n % 6 == 0
                let visit = Visit(
                    id: VisitID.make(now: start.addingTimeInterval(Double(n) / 1000)), service: services[n % services.count], outcome: failed ? .failed : .done,
                    commune: laptops[d].0.scope.commune ?? "00004", citizenName: "Nguyễn Văn \(n)",
                    citizenID: n % 2 == 0 ? ProtectedCitizenID(masked: "001******\(String(100 + n % 900))", keyedHash: String(repeating: String(format: "%02x", n % 251), count: 32)) : nil,
                    phone: n % 3 == 0 ? "0971234567" : nil, reason: failed ? .otpNotReceived : nil, note: n % 4 == 0 ? "ghi chú \(n)" : "",
                    visitedAt: start.addingTimeInterval(Double(n % 80_000)), volunteer: "Tình nguyện viên \(d)", team: "T-\(d)",
                    consent: Consent(at: start, by: "Tình nguyện viên \(d)", policy: "PDPL-2026-v1"))
                var values: [String: FieldValue] = [:]
                for (field, value) in visit.fieldValues { values[field.rawValue] = value }
                records.append(replica.write(values, to: nil, recordID: visit.id, now: 1_763_600_000_000 + UInt64(n)))
                if records.count == WireLimits.maxPushRecords || i == perDevice - 1 {
                    result.append((laptops[d].0, PushRequest(replica: replica.id, seq: replica.seq, batch: "b\(result.count)",
                                                             unsynced: 0, records: records, conflicts: nil)))
                    records = []
                }
            }
        }
        return result
    }

    static func inProcess(changes: Int) async throws -> MergeFigures {
        let dir = NSTemporaryDirectory() + "fieldsync-hub-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let now = Date(timeIntervalSince1970: 1_763_700_000)
        // The hub's merge in process, one push after another: each its own transaction and commit.
        let merger = try HubService(path: dir + "/hub.sqlite", clock: ManualClock(now))
        let work = try await batches(hub: merger, count: changes, devices: 100)
        let total = work.reduce(0) { $0 + $1.1.records.count }
        let start = DispatchTime.now().uptimeNanoseconds
        var rejected = 0
        for (device, request) in work { rejected += try await merger.push(request, from: device).rejected.count }
        let hubSeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        // A benchmark of the merge must merge: refused records would time the quarantine instead.
        guard rejected == 0 else { throw BenchError.failed("\(rejected) of \(total) records were refused: fix the generated visits") }

        let source = try Database(path: dir + "/hub.sqlite")
        let rows = try source.query("SELECT * FROM records") { row in (0..<row.columnCount).map { row.value($0) } }
        // Raw inserts of the same rows into a table with the same indexes: committed per push of 500 (as the hub
        // must: an acknowledgement means durable), and in one transaction (a bound no hub could reach).
        func raw(_ name: String, commitEvery: Int?) throws -> Double {
            let rawDB = try Database(path: dir + "/\(name).sqlite")
            try rawDB.execute(try source.scalarText("SELECT sql FROM sqlite_master WHERE name = 'records'") ?? "")
            for index in try source.query("SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'records' AND sql IS NOT NULL",
                                          row: { $0.text(0) ?? "" }) {
                try rawDB.execute(index)
            }
            let placeholders = Array(repeating: "?", count: rows.first?.count ?? 0).joined(separator: ", ")
            return try StoreBenchmark.rawInsert(path: dir + "/\(name).sqlite", sql: "INSERT INTO records VALUES (\(placeholders))",
                                                rows: rows, commitEvery: commitEvery)
        }
        let committedSeconds = try raw("raw-500", commitEvery: WireLimits.maxPushRecords)
        let rawSeconds = try raw("raw-one", commitEvery: nil)
        let figures = MergeFigures(engine: "SQLite", merge: Double(total) / hubSeconds, rawCommitted: Double(rows.count) / committedSeconds,
                                   rawOneTransaction: Double(rows.count) / rawSeconds)
        print(String(format: "hub merge in process, %d new visit states in %d pushes of 500 (100 devices): %.2f s, %.0f changes/s", total,
                     work.count, hubSeconds, figures.merge))
        print(String(format: "raw SQLite inserting the same %d rows (same table and indexes, WAL, synchronous FULL): committed per 500 "
                     + "%.2f s, %.0f rows/s; one transaction %.2f s, %.0f rows/s", rows.count, committedSeconds, figures.rawCommitted,
                     rawSeconds, figures.rawOneTransaction))
        print(String(format: "hub/raw: %.2f of the same-commit raw (goal 0.7), %.2f of one transaction",
                     figures.merge / figures.rawCommitted, figures.merge / figures.rawOneTransaction))

        // Replaying each device's last push (a retry after a lost answer): every record already known.
        var last: [String: (Device, PushRequest)] = [:]
        for (device, request) in work { last[device.id] = (device, request) }
        let replayStart = DispatchTime.now().uptimeNanoseconds
        for (device, request) in last.values { _ = try await merger.push(request, from: device) }
        let replayed = last.values.reduce(0) { $0 + $1.1.records.count }
        let replaySeconds = Double(DispatchTime.now().uptimeNanoseconds - replayStart) / 1e9
        print(String(format: "replayed pushes (every record already known): %.0f changes/s", Double(replayed) / replaySeconds))

        // The server's path: the same pushes from 32 devices at a time through HubService (group commit).
        let servicePath = dir + "/service.sqlite"
        let service = try HubService(path: servicePath)
        let concurrentWork = try await batches(hub: service, count: changes, devices: 100)
        let serviceStart = DispatchTime.now().uptimeNanoseconds
        // Each laptop sends its batches one after another; 32 laptops at a time.
        var perDevice: [String: [(Device, PushRequest)]] = [:]
        for item in concurrentWork { perDevice[item.0.id, default: []].append(item) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            var inFlight = 0
            for (_, pushes) in perDevice {
                if inFlight == 32 { try await group.next(); inFlight -= 1 }
                group.addTask { for (device, request) in pushes { _ = try await service.push(request, from: device) } }
                inFlight += 1
            }
            try await group.waitForAll()
        }
        let serviceSeconds = Double(DispatchTime.now().uptimeNanoseconds - serviceStart) / 1e9
        print(String(format: "hub merge through HubService, 32 laptops pushing at once (group commit): %d changes in %.2f s, %.0f changes/s; vs raw %.2f",
                     total, serviceSeconds, Double(total) / serviceSeconds, rawSeconds / serviceSeconds))
        return figures
    }
}
