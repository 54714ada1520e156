import Foundation
import HubCore
import HubSQLite

/// Issue 13: `fieldsync-server export` streams: its peak memory does not grow with the store.
enum ExportBenchmark {
    static func run(visits: Int, directory: String?) async throws {
        let server = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("fieldsync-server").path
        guard FileManager.default.isExecutableFile(atPath: server) else {
            throw BenchError.failed("no \(server): build the fieldsync-server product in the same configuration first")
        }
        let dir = directory ?? NSTemporaryDirectory() + "fieldsync-export-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let fresh = !FileManager.default.fileExists(atPath: dir + "/hub.sqlite")
        let hub = try HubStore(path: dir + "/hub.sqlite")
        hub.maintainsAggregates = false
        let now = Date(timeIntervalSince1970: 1_763_700_000)
        if fresh {
            let merger = try hub.merger(now: now)
            for (device, request) in try await HubBenchmark.batches(hub: merger, count: visits, devices: 100) {
                _ = try await merger.push(request, from: device)
            }
        }
        for format in ["json", "csv"] {
            let start = DispatchTime.now().uptimeNanoseconds
            let (status, kilobytes) = try peakMemory(server, ["--db", dir + "/hub.sqlite", "export", "--format", format])
            guard status == 0 else { throw BenchError.failed("export exited \(status)") }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "export --format %@ of %d visits: peak RSS %.1f MB, %.2f s", format, visits,
                         Double(kilobytes) / 1024, seconds))
        }
    }

    /// Runs a program (output to /dev/null) under GNU time and returns its exit status and peak resident
    /// memory in KiB. (wait4's own figure would include the spawning benchmark's memory.)
    static func peakMemory(_ binary: String, _ arguments: [String]) throws -> (Int32, Int) {
        let report = NSTemporaryDirectory() + "fieldsync-export-rss-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: report) }
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw BenchError.failed("/usr/bin/time is missing (apt-get install time)")
        }
        let status = try StoreBenchmark.launch("/usr/bin/time", ["-f", "%M", "-o", report, binary] + arguments)
        let text = try String(contentsOfFile: report, encoding: .utf8)
        guard let kilobytes = text.split(separator: "\n").last.flatMap({ Int($0.trimmingCharacters(in: .whitespaces)) }) else {
            throw BenchError.failed("cannot read the peak memory from \(text)")
        }
        return (status, kilobytes)
    }
}
