import FieldModel
import Foundation
import HubCore
import HubSQLite
import SyncProtocol

/// Issue 33's figure: how long the data-quality flags take on a hub of N visits (SQLite, release build), for the whole
/// hub, a province and a commune, over all time and the last week of the data.
enum QualityBenchmark {
    static func run(visits: Int, directory: String?) async throws {
        let dir = directory ?? NSTemporaryDirectory() + "fieldsync-quality-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }  // Losing this error is safe: a temporary folder.
        let path = dir + "/quality.sqlite"
        try await ReportsBenchmark.filled(path, visits: visits)
        let service = try HubService(path: path)
        // The coverage-jump rule reads each household's first visit: province 01's communes get a list of 200 each.
        let communes = CommuneCatalogue.shared.communes(inProvince: "01").map(\.code)
        if try await service.households(in: Scope(province: "01"), village: nil).isEmpty {
            let start = DispatchTime.now().uptimeNanoseconds
            let rows = "Thôn;Số nhà;Chủ hộ;Số người từ 18 tuổi\n" + (1...200).map { "Thôn 1;\($0);Chủ Hộ \($0);2" }.joined(separator: "\n")
            for commune in communes {
                _ = try await service.saveVillage(Village(commune: commune, name: "Thôn 1", team: "T-\(commune)"), scope: Scope(), by: "bench")
                _ = try await service.importHouseholds(try HouseholdList(rows: SheetRows.csv(rows)), commune: commune, scope: Scope(), by: "bench", apply: true)
            }
            print(String(format: "%d households in %d communes of province 01 imported in %.0f s", communes.count * 200, communes.count,
                         Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9))
        }
        print("scope            period        ms       flags")
        // The generated year ends in late November 2025.
        for (label, scope) in [("whole hub", Scope()), ("province 01", Scope(province: "01")), ("commune 00004", Scope(commune: "00004"))] {
            for (period, since) in [("all time", nil as String?), ("last week", "2025-11-20T00:00:00Z")] {
                let start = DispatchTime.now().uptimeNanoseconds
                let flags = try await service.qualityFlags(scope: scope, since: since, until: nil, rules: QualityRules())
                let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                print(String(format: "%@  %@  %8.0f  %6d", label.padding(toLength: 15, withPad: " ", startingAt: 0),
                             period.padding(toLength: 10, withPad: " ", startingAt: 0), ms, flags.count))
            }
        }
    }
}
