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
    static func run(households: Int, visits: Int, postgres: String?, postgresScale: Int, directory: String?) async throws {
        let dir = directory ?? NSTemporaryDirectory() + "fieldsync-coverage-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        try await measure("SQLite", try HubService(path: dir + "/hub.sqlite"), households: households, visits: visits)
        if let postgres {
            let (households, visits) = (households / postgresScale, visits / postgresScale)
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
        let filled = try await hub.households(in: Scope(province: "01"), village: nil).count
        var ids: [String: [String]] = [:]
        for commune in communes where filled == 0 {
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
        }
        for commune in communes { ids[commune] = try await hub.households(in: Scope(commune: commune), village: nil).map(\.id) }
        // Visits: pushed by one laptop per commune in batches of 500, spread over the last 120 days.
        let now = Date()
        var pushed = filled == 0 ? 0 : visits, batch = 0
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
        func time(_ runs: Int, _ body: () async throws -> Void) async throws -> Double {
            var times: [Double] = []
            for _ in 0..<runs {
                let start = DispatchTime.now().uptimeNanoseconds
                try await body()
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            return times.sorted()[runs / 2]
        }
        let province = Scope(province: "01")
        let commune = try await time(5) { _ = try await hub.coverageLines(in: Scope(commune: communes[0]), now: now) }
        let whole = try await time(1) { _ = try await hub.coverageLines(in: province, now: now) }
        let cache = CoverageCache()
        let first = try await time(1) { _ = try await cache.lines(in: province, now: now, storage: hub) }
        let unchanged = try await time(5) { _ = try await cache.lines(in: province, now: now, storage: hub) }
        // A laptop of one commune syncs a visit between two views: that commune is counted again.
        if devices[communes[0]] == nil {
            let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-\(communes[0])-0", commune: communes[0]), validFor: 3_600)
            let token = try await hub.enroll(EnrollRequest(code: code, replica: nil, volunteer: "TNV")).token
            devices[communes[0]] = (try await hub.authenticate(token: token), ReplicaState(id: ReplicaID.random()))
        }
        guard let (device, known) = devices[communes[0]] else { throw BenchError.failed("no device") }
        var replica = known
        let changed = try await time(5) {
            let visit = Visit(id: VisitID.make(now: now), service: .bankAccount, outcome: .done, commune: communes[0], citizenName: "Công dân mới",
                              visitedAt: now, volunteer: device.volunteer ?? "TNV", team: device.scope.team ?? "T")
            var values: [String: FieldValue] = [:]
            for (field, value) in visit.fieldValues { values[field.rawValue] = value }
            let state = replica.write(values, to: nil, recordID: visit.id, now: UInt64(now.timeIntervalSince1970 * 1000))
            _ = try await hub.push(PushRequest(replica: replica.id, seq: replica.seq, batch: "c\(replica.seq)", unsynced: 0, records: [state],
                                               conflicts: nil), from: device)
            _ = try await cache.lines(in: province, now: now, storage: hub)
        }
        let report = try await time(1) { _ = try await hub.coverageReport(ReportFilter(province: "01"), now: now) }
        let imports = importTimes.sorted()
        print("""
            \(engine): \(communes.count * 3_000) households in \(communes.count) communes of province 01, \(pushed) visits
              import of a commune's 3,000 households (preview, then apply): \(imports.isEmpty ? "reused hub" : String(format: "median %.2f s, worst %.2f s", imports[imports.count / 2], imports.last ?? 0))
              coverage of one commune, counted:                       \(String(format: "%8.0f ms (median of 5)", commune))
              coverage of the province, counted whole:                \(String(format: "%8.0f ms", whole))
              console (CoverageCache), first view of the province:    \(String(format: "%8.0f ms", first))
              console, next views, nothing changed:                   \(String(format: "%8.0f ms (median of 5)", unchanged))
              console, a visit pushed in one commune between views:   \(String(format: "%8.0f ms (median of 5, the push included)", changed))
              report coverage --province 01 (counted whole, with progress and trend): \(String(format: "%.0f ms", report))
            """)
    }
}
