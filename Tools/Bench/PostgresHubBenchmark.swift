import Foundation
import HubPostgres
import HubStore
import PostgresNIO
import SyncProtocol

/// Issue 13: the hub's merge on PostgreSQL in process, against raw inserts of the same rows.
enum PostgresHubBenchmark {
    static func run(server: String, changes: Int) async throws {
        let name = "bench_\(UInt32.random(in: 0...UInt32.max))"
        let url = try await PostgresAdmin.createDatabase(server: server, name: name)
        let dir = NSTemporaryDirectory() + "fieldsync-pg-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // The same pushes as the SQLite benchmark (generated against a scratch SQLite hub for their devices).
        let work = try HubBenchmark.batches(hub: try HubStore(path: dir + "/scratch.sqlite"), count: changes, devices: 100)
        let total = work.reduce(0) { $0 + $1.1.records.count }
        try await PostgresHubStore.withStore(url: url, connections: 16) { store in
            var devices: [String: Device] = [:]
            for (device, _) in work where devices[device.id] == nil {
                let code = try await store.createEnrollmentCode(role: .volunteer, scope: device.scope, validFor: 3_600)
                let token = try await store.enroll(EnrollRequest(code: code, replica: nil, volunteer: device.volunteer)).token
                devices[device.id] = try await store.authenticate(token: token)
            }
            let half = work.count / 2
            let start = DispatchTime.now().uptimeNanoseconds
            for (device, request) in work.prefix(half) {
                guard let mapped = devices[device.id] else { continue }
                _ = try await store.push(request, from: mapped)
            }
            let sequential = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let sequentialRecords = work.prefix(half).reduce(0) { $0 + $1.1.records.count }
            // The rest from 16 laptops at a time (as several hub processes would send them).
            let concurrentStart = DispatchTime.now().uptimeNanoseconds
            try await withThrowingTaskGroup(of: Void.self) { group in
                var pending = work.dropFirst(half).makeIterator()
                func next() -> (Device, PushRequest)? {
                    guard let (device, request) = pending.next(), let mapped = devices[device.id] else { return nil }
                    return (mapped, request)
                }
                for _ in 0..<16 { if let (device, request) = next() { group.addTask { _ = try await store.push(request, from: device) } } }
                while try await group.next() != nil {
                    if let (device, request) = next() { group.addTask { _ = try await store.push(request, from: device) } }
                }
            }
            let concurrent = Double(DispatchTime.now().uptimeNanoseconds - concurrentStart) / 1e9
            let concurrentRecords = total - sequentialRecords
            let raw = try await store.rawInsertSeconds(batch: WireLimits.maxPushRecords)
            print(String(format: "PostgreSQL hub merge in process, %d new visit states in pushes of 500 (100 devices): "
                         + "sequential %.0f changes/s, 16 pushes at a time %.0f changes/s", total,
                         Double(sequentialRecords) / sequential, Double(concurrentRecords) / concurrent))
            print(String(format: "raw PostgreSQL inserting the same %d rows (a table LIKE records INCLUDING ALL, 500 rows per "
                         + "statement, one transaction each): %.0f rows/s; hub/raw ratio %.2f sequential, %.2f concurrent",
                         raw.rows, Double(raw.rows) / raw.seconds, (Double(sequentialRecords) / sequential) / (Double(raw.rows) / raw.seconds),
                         (Double(concurrentRecords) / concurrent) / (Double(raw.rows) / raw.seconds)))
        }
        try await PostgresAdmin.dropDatabase(server: server, name: name)
    }
}
