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
