import FieldModel
import Foundation
import HubReports
import HubCore
import HubSQLite
import SyncCore
import SyncProtocol

/// Issue 5's figures: `report progress` on a hub of many visits, and what the aggregates add to a push.
enum ReportsBenchmark {
    /// Pushes `visits` generated visits spread over every commune of the catalogue; returns the seconds spent pushing.
    /// The hub at `path` with at least `visits` visits: filled (and said so) when it has fewer.
    static func filled(_ path: String, visits: Int) async throws {
        let hub = try HubStore(path: path)
        let have = try hub.progressReport(ReportFilter()).totals.visits
        guard have < visits else { return }
        print("filling a hub with \(visits - have) visits across 3,321 communes …")
        let seconds = try await fill(hub, visits: visits - have, log: true)
        print(String(format: "  filled in %.0f s", seconds))
    }

    static func fill(_ hub: HubStore, visits: Int, log: Bool) async throws -> Double {
        let communes = CommuneCatalogue.shared.communes.keys.sorted()
        var devices: [String: (Device, ReplicaState)] = [:]
        let services = Service.allCases
        let now = Date(timeIntervalSince1970: 1_767_000_000)
        let merger = try hub.merger(now: now)
        let start2025: Double = 1_735_689_600
        var generator = SystemRandomNumberGenerator()
        var seconds = 0.0
        var pushed = 0
        var batch = 0
        while pushed < visits {
            let commune = communes[batch % communes.count]
            if devices[commune] == nil {
                let code = try await merger.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-\(commune)", commune: commune),
                                                                 validFor: 86_400)
                let token = try await merger.enroll(EnrollRequest(code: code, replica: nil, volunteer: "TNV \(commune)")).token
                devices[commune] = (try await merger.authenticate(token: token), ReplicaState(id: ReplicaID.random()))
            }
            guard let (device, known) = devices[commune] else { continue }
            var replica = known
            var records: [RecordState] = []
            let count = min(500, visits - pushed)
            records.reserveCapacity(count)
            for i in 0..<count {
                let n = pushed + i
                // Time moves on as the year's visits are logged (ids are time-ordered, as on real laptops).
                let day = start2025 + Double(n) / Double(visits) * 330 * 86_400 + Double(UInt64.random(in: 0..<3_600, using: &generator))
                let outcome: Outcome = n % 7 == 0 ? .failed : n % 5 == 0 ? .pending : .done
                let reasons: [FailureReason] = [.otpNotReceived, .phoneNotOwned, .faceCaptureFailed, .oldPhone]
                // About 2 million citizens, their keyed hashes spread over the whole range as real ones are.
                let citizen = UInt64.random(in: 0..<2_000_000, using: &generator) &* 0x9E37_79B9_7F4A_7C15
                let hash: String? = n % 2 == 0 ? String(format: "%016llx", citizen) + String(repeating: "0", count: 48) : nil
                let visit = Visit(
                    id: VisitID.make(now: Date(timeIntervalSince1970: day)), service: services[n % services.count], outcome: outcome,
                    commune: commune, citizenName: "Công dân \(n)",
                    citizenID: hash.map { ProtectedCitizenID(masked: "001******345", keyedHash: $0) },
                    reason: outcome == .failed ? reasons[n % reasons.count] : outcome == .pending ? .applicationPending : nil,
                    visitedAt: Date(timeIntervalSince1970: day), volunteer: "TNV \(commune)", team: "T-\(commune)",
                    consent: Consent(at: Date(timeIntervalSince1970: day), by: "TNV \(commune)", policy: "P1"))
                var values: [String: FieldValue] = [:]
                for (field, value) in visit.fieldValues { values[field.rawValue] = value }
                records.append(replica.write(values, to: nil, recordID: visit.id, now: UInt64(day * 1000)))
            }
            devices[commune]?.1 = replica
            let request = PushRequest(replica: replica.id, seq: replica.seq, batch: "b\(batch)", unsynced: 0, records: records, conflicts: nil)
            let start = DispatchTime.now().uptimeNanoseconds
            let answer = try await merger.push(request, from: device)
            seconds += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            guard answer.rejected.isEmpty else {
                throw BenchError.failed("\(answer.rejected.count) generated visits were refused: \(answer.rejected[0].message)")
            }
            pushed += count
            batch += 1
            if log, batch % 2_000 == 0 { print("  \(pushed) visits pushed (\(Int(Double(pushed) / seconds)) visits/s)") }
        }
        return seconds
    }

    static func time(_ runs: Int, _ body: () throws -> Void) rethrows -> Double {
        var times: [Double] = []
        for _ in 0..<runs {
            let start = DispatchTime.now().uptimeNanoseconds
            try body()
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        return times.sorted()[runs / 2]
    }

    static func run(visits: Int, costVisits: Int, directory: String?) async throws {
        let dir = directory ?? NSTemporaryDirectory() + "fieldsync-reports-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }

        // What the aggregates add to a push: the same workload with them on and off.
        let on = try HubStore(path: dir + "/cost-on.sqlite")
        let withAggregates = try await fill(on, visits: costVisits, log: false)
        let off = try HubStore(path: dir + "/cost-off.sqlite")
        off.maintainsAggregates = false
        let without = try await fill(off, visits: costVisits, log: false)
        print(String(format: "push cost of the report aggregates, %d visits over 3,321 communes: %.2f s with, %.2f s without: +%.1f%%",
                     costVisits, withAggregates, without, (withAggregates / without - 1) * 100))

        let path = dir + "/big.sqlite"
        let big = try HubStore(path: path)
        if try big.progressReport(ReportFilter(commune: "00004")).totals.visits == 0 {
            print("filling a hub with \(visits) visits across 3,321 communes …")
            let seconds = try await fill(big, visits: visits, log: true)
            print(String(format: "  filled in %.0f s (%.0f visits/s including aggregates)", seconds, Double(visits) / seconds))
        }
        let reader = try HubStore(path: path, readOnly: true)
        let size = ((try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0) / 1_048_576
        var country: ProgressReport?
        let countryTime = try time(3) { country = try reader.progressReport(ReportFilter()) }
        let provinceTime = try time(3) { _ = try reader.progressReport(ReportFilter(province: "01")) }
        let storage = try HubService(path: path, readOnly: true)
        var renderTimes: [Double] = []
        for _ in 0..<3 {
            let start = DispatchTime.now().uptimeNanoseconds
            _ = try await ReportRenderer.render(ReportRequest(name: .progress, format: .json, filter: ReportFilter()), storage: storage)
            renderTimes.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let renderTime = renderTimes.sorted()[1]
        let monthTime = try time(3) {
            _ = try reader.progressReport(ReportFilter(since: "2025-06-01T00:00:00Z", until: "2025-07-01T00:00:00Z", province: "01"))
        }
        print(String(format: "store: %d visits, %d MiB", country?.totals.visits ?? 0, size))
        print(String(format: "report progress, whole country (3,321 communes × 11 services): %.3f s (median of 3); rendered as JSON: %.3f s",
                     countryTime, renderTime))
        print(String(format: "report progress, province 01 (126 communes): %.3f s", provinceTime))
        print(String(format: "report progress, province 01, one month (--since/--until: per-day aggregate, and the visits of the period for distinct citizens): %.3f s", monthTime))
    }
}
