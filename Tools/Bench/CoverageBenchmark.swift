import FieldModel
import Foundation
import HubCore
import HubPostgres
import HubSQLite
import SyncCore
import SyncProtocol

/// Issue 31's figures: a commune's list of 3,000 households imported (preview, then apply), and the coverage of a
/// province of `households` households and `visits` visits (most naming their household, a sixth with a follow-up)
/// read by the console's query, on SQLite and, with a server URL, on PostgreSQL. Everything goes in through the real
/// paths: the import, and pushes merged as laptops send them.
enum CoverageBenchmark {
    static func run(households: Int, visits: Int, postgres: String?) async throws {
        let dir = NSTemporaryDirectory() + "fieldsync-coverage-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        print("engine      households   visits  import 3,000 (preview + apply)  coverage: commune  province  report")
        try await measure("SQLite", try HubService(path: dir + "/hub.sqlite"), households: households, visits: visits)
        if let postgres {
            let url = try await PostgresAdmin.createDatabase(server: postgres, name: "bench_\(UInt32.random(in: 0...UInt32.max))")
            try await PostgresHubStore.withStore(url: url, connections: 16) { store in
                try await measure("PostgreSQL", store, households: households, visits: visits)
            }
        }
    }

    static func measure(_ engine: String, _ hub: any HubStorage, households: Int, visits: Int) async throws {
        let communes = Array(CommuneCatalogue.shared.communes.keys.filter { Hub.province(of: $0) == "01" }.sorted()
            .prefix(max(1, households / 3_000)))
        var importTimes: [Double] = []
        var ids: [String: [String]] = [:]
        for commune in communes {
            for v in 0..<6 {
                _ = try await hub.saveVillage(Village(commune: commune, name: "Thôn \(v + 1)", team: "T-\(commune)-\(v % 3)"), scope: Scope(), by: "bench")
            }
            var csv = "Thôn;Số nhà;Ngõ;Chủ hộ;Điện thoại;Số người từ 18 tuổi\n"
            for h in 0..<3_000 { csv += "Thôn \(h % 6 + 1);\(h / 6 + 1);Ngõ \(h % 40 + 1);Chủ hộ \(commune) \(h);;\(h % 5 + 1)\n" }
            let list = try HouseholdList(rows: SheetRows.csv(csv))
            let start = DispatchTime.now().uptimeNanoseconds
            let preview = try await hub.importHouseholds(list, commune: commune, scope: Scope(), by: "bench", apply: false)
            let applied = try await hub.importHouseholds(list, commune: commune, scope: Scope(), by: "bench", apply: true)
            importTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            guard preview.created == 3_000, applied.created == 3_000 else { throw BenchError.failed("the import created \(applied.created) households") }
            ids[commune] = try await hub.households(in: Scope(commune: commune), village: nil).map(\.id)
        }
        // Visits: pushed by one laptop per commune in batches of 500, spread over the last 120 days.
        let now = Date()
        var pushed = 0, batch = 0
        var generator = SystemRandomNumberGenerator()
        var devices: [String: (Device, ReplicaState)] = [:]
        while pushed < visits {
            let commune = communes[batch % communes.count]
            if devices[commune] == nil {
                let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-\(commune)-0", commune: commune), validFor: 3_600)
                let token = try await hub.enroll(EnrollRequest(code: code, replica: nil, volunteer: "TNV \(commune)")).token
                devices[commune] = (try await hub.authenticate(token: token), ReplicaState(id: ReplicaID.random()))
            }
            guard let (device, known) = devices[commune], let homes = ids[commune] else { continue }
            var replica = known
            var records: [RecordState] = []
            for i in 0..<min(500, visits - pushed) {
                let n = pushed + i
                let at = now.addingTimeInterval(-Double(UInt64.random(in: 3_600..<(120 * 86_400), using: &generator)))
                let outcome: Outcome = n % 6 == 0 ? .failed : n % 5 == 0 ? .pending : .done
                let household = homes[Int.random(in: 0..<homes.count, using: &generator)]
                var visit = Visit(id: VisitID.make(now: at), service: n % 3 == 0 ? .bankAccount : .vneidLevel2, outcome: outcome, commune: commune,
                                  citizenName: "Công dân \(n % 9_000)", reason: outcome == .failed ? .otpNotReceived : outcome == .pending ? .applicationPending : nil,
                                  visitedAt: at, volunteer: device.volunteer ?? "TNV", team: device.scope.team ?? "T")
                if n % 10 != 0 { visit.extra["household"] = .text(household) }
                if outcome != .done, let on = FollowUps.defaultDate(reason: visit.reason, visitedAt: at, kind: nil) { visit.extra["followUpOn"] = .text(on) }
                var values = visit.extra
                for (field, value) in visit.fieldValues { values[field.rawValue] = value }
                records.append(replica.write(values, to: nil, recordID: visit.id, now: UInt64(at.timeIntervalSince1970 * 1000)))
            }
            let answer = try await hub.push(PushRequest(replica: replica.id, seq: replica.seq, batch: "b\(batch)", unsynced: 0, records: records,
                                                        conflicts: nil), from: device)
            guard answer.rejected.isEmpty else { throw BenchError.failed("refused: \(answer.rejected[0].message)") }
            devices[commune] = (device, replica)
            pushed += records.count
            batch += 1
            if batch % 1_000 == 0 { print("  \(engine): \(pushed) visits pushed") }
        }
        func median(_ body: () async throws -> Void) async throws -> Double {
            var times: [Double] = []
            for _ in 0..<5 {
                let start = DispatchTime.now().uptimeNanoseconds
                try await body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times.sorted()[2]
        }
        let commune = try await median { _ = try await hub.coverageLines(in: Scope(commune: communes[0]), now: now) }
        let province = try await median { _ = try await hub.coverageLines(in: Scope(province: "01"), now: now) }
        let report = try await median { _ = try await hub.coverageReport(ReportFilter(province: "01"), now: now) }
        let imports = importTimes.sorted()
        print(String(format: "%@ %10d %9d  %6.2f s (median; worst %.2f s)        %7.0f ms %7.0f ms %6.0f ms",
                     engine.padding(toLength: 10, withPad: " ", startingAt: 0), communes.count * 3_000, pushed, imports[imports.count / 2],
                     imports.last ?? 0, commune, province, report))
    }
}
