import FieldSyncTesting
import Foundation
import HubCore
import HubSQLite
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 14's figures: the console's pages on a big hub through the real `fieldsync-server` (release
/// build beside this tool) over loopback HTTP, signed in as coordinators of a commune, a province and
/// the whole country: median time of 5 loads and the HTML+SVG bytes of each page.
enum ConsoleBenchmark {
    static func run(visits: Int, directory: String?) async throws {
        let dir = directory ?? NSTemporaryDirectory() + "fieldsync-console-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if directory == nil { try? FileManager.default.removeItem(atPath: dir) } }
        let path = dir + "/console.sqlite"
        try await ReportsBenchmark.filled(path, visits: visits)
        setenv("FIELDSYNC_BIN_DIR", URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path, 1)
        let server = try HubProcess(database: path)
        defer { _ = server.terminate() }
        let visitsNow = try HubStore(path: path, readOnly: true).progressReport(ReportFilter()).totals.visits
        print("hub: \(visitsNow) visits; pages through fieldsync-server on 127.0.0.1, median of 5 loads after one warm-up")
        print("scope            page                               ms     bytes")
        for (label, scope) in [("commune 00004", ["--commune", "00004"]), ("province 01", ["--province", "01"]), ("whole country", [])] {
            let code = try Executables.run("fieldsync-server", server.storeArguments + ["enrollment-code", "--role", "coordinator"] + scope).output
            let session = URLSession(configuration: .ephemeral)
            let login = "bench\(UInt32.random(in: 0...UInt32.max))"
            let pass = "benchmark passphrase"
            var join = URLRequest(url: URL(string: server.url + "/console/join")!)
            join.httpMethod = "POST"
            join.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            join.httpBody = Data("code=\(code)&login=\(login)&passphrase=\(pass.replacingOccurrences(of: " ", with: "+"))&again=\(pass.replacingOccurrences(of: " ", with: "+"))".utf8)
            let (_, joined) = try await session.data(for: join)
            guard let final = joined.url?.path, final == "/console/overview" else {
                throw BenchError.failed("joining the console failed (ended at \(joined.url?.absoluteString ?? "?"))")
            }
            for page in ["/console/overview", "/console/overview?since=2025-06-01&until=2025-06-30", "/console/visits",
                         "/console/visits?name=cong+dan+4711", "/console/visits?outcome=failed&service=e-wallet", "/console/devices",
                         "/console/duplicates"] {
                var times: [Double] = []
                var bytes = 0
                for run in 0..<6 {
                    let start = DispatchTime.now().uptimeNanoseconds
                    let (data, response) = try await session.data(from: URL(string: server.url + page)!)
                    guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                        throw BenchError.failed("\(page): status \((response as? HTTPURLResponse)?.statusCode ?? 0)")
                    }
                    if run > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6) }
                    bytes = data.count
                }
                print(String(format: "%@  %@  %7.0f  %8d", label.padding(toLength: 15, withPad: " ", startingAt: 0),
                             page.padding(toLength: 32, withPad: " ", startingAt: 0), times.sorted()[2], bytes))
            }
        }
    }
}
