import Foundation
import HubPostgres
import HubCore
import HubSQLite
import PostgresNIO
import SyncProtocol

/// Issue 13: the hub's merge on PostgreSQL in process, against raw inserts of the same rows.
enum PostgresHubBenchmark {
    static func run(server: String, changes: Int) async throws -> MergeFigures {
        let name = "bench_\(UInt32.random(in: 0...UInt32.max))"
        let url = try await PostgresAdmin.createDatabase(server: server, name: name)
        let dir = NSTemporaryDirectory() + "fieldsync-pg-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same pushes as the SQLite benchmark (generated against a scratch SQLite hub for their devices).
        let work = try await HubBenchmark.batches(hub: try HubService(path: dir + "/scratch.sqlite"), count: changes, devices: 100)
        let total = work.reduce(0) { $0 + $1.1.records.count }
        let figures = try await PostgresHubStore.withStore(url: url, connections: 16) { store in
            var devices: [String: Device] = [:]
            for (device, _) in work where devices[device.id] == nil {
                let code = try await store.createEnrollmentCode(role: .volunteer, scope: device.scope, validFor: 3_600)
                let token = try await store.enroll(EnrollRequest(code: code, replica: nil, volunteer: device.volunteer)).token
                devices[device.id] = try await store.authenticate(token: token)
            }
            // Half the devices push one after another; the other half 16 at a time, each device's pushes in order
            // (as laptops behind several hub processes send them).
            let ids = Array(Set(work.map(\.0.id))).sorted()
            let firstHalf = Set(ids.prefix(ids.count / 2))
            let sequentialWork = work.filter { firstHalf.contains($0.0.id) }
            let start = DispatchTime.now().uptimeNanoseconds
            for (device, request) in sequentialWork {
                guard let mapped = devices[device.id] else { continue }
                _ = try await store.push(request, from: mapped)
            }
            let sequential = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let sequentialRecords = sequentialWork.reduce(0) { $0 + $1.1.records.count }
            let lanes: [[(Device, PushRequest)]] = ids.dropFirst(ids.count / 2).compactMap { id in
                guard let mapped = devices[id] else { return nil }
                return work.filter { $0.0.id == id }.map { (mapped, $0.1) }
            }
            let concurrentStart = DispatchTime.now().uptimeNanoseconds
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = lanes.makeIterator()
                func start(_ lane: [(Device, PushRequest)]) {
                    group.addTask { for (device, request) in lane { _ = try await store.push(request, from: device) } }
                }
                for _ in 0..<16 { if let lane = pending.next() { start(lane) } }
                while try await group.next() != nil { if let lane = pending.next() { start(lane) } }
            }
            let concurrent = Double(DispatchTime.now().uptimeNanoseconds - concurrentStart) / 1e9
            let concurrentRecords = total - sequentialRecords
            let raw = try await store.rawInsertSeconds(batch: WireLimits.maxPushRecords)
            let one = try await store.rawInsertSeconds(batch: WireLimits.maxPushRecords, oneTransaction: true)
            print(String(format: "PostgreSQL hub merge in process, %d new visit states in pushes of 500 (100 devices): "
                         + "sequential %.0f changes/s, 16 pushes at a time %.0f changes/s", total,
                         Double(sequentialRecords) / sequential, Double(concurrentRecords) / concurrent))
            print(String(format: "raw PostgreSQL inserting the same %d rows (a table LIKE records INCLUDING ALL, 500 rows per "
                         + "statement, one transaction each): %.0f rows/s; hub/raw ratio %.2f sequential, %.2f concurrent",
                         raw.rows, Double(raw.rows) / raw.seconds, (Double(sequentialRecords) / sequential) / (Double(raw.rows) / raw.seconds),
                         (Double(concurrentRecords) / concurrent) / (Double(raw.rows) / raw.seconds)))
            print(String(format: "raw PostgreSQL inserting the same rows in one transaction: %.0f rows/s", Double(one.rows) / one.seconds))
            return MergeFigures(engine: "PostgreSQL (sequential pushes)", merge: Double(sequentialRecords) / sequential,
                                rawCommitted: Double(raw.rows) / raw.seconds, rawOneTransaction: Double(one.rows) / one.seconds, goal: 0.6)
        }
        try await PostgresAdmin.dropDatabase(server: server, name: name)
        return figures
    }
}
