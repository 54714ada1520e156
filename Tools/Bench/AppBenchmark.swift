import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 32's figures: the volunteer's app (`fieldsync app`, the release build beside this tool) over an encrypted,
/// unlocked store of N visits and a village of households, through loopback HTTP as the browser asks: the median of 5
/// loads of each page after one warm-up, and logging a visit from the form (the post and the next form it leads to)
/// beside `fieldsync log` on the same store.
enum AppBenchmark {
    static func run(visits: Int, households: Int, rounds: Int) async throws {
        let dir = NSTemporaryDirectory() + "fieldsync-app-bench-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }  // Losing this error is safe: a temporary folder.
        setenv("FIELDSYNC_BIN_DIR", URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path, 1)
        let path = dir + "/store.sqlite"
        let passphrase = "benchmark passphrase"
        guard try Executables.run("fieldsync", ["--store", path, "init", "--volunteer", "Lê Thị Hoa", "--team", "T-01", "--commune", "00004"]).status == 0,
              try Executables.run("fieldsync", ["--store", path, "passphrase"], environment: ["FIELDSYNC_NEW_PASSPHRASE": passphrase]).status == 0
        else { throw BenchError.failed("cannot make the store") }
        let store = try FieldStore.open(at: path)
        try store.unlock(passphrase: passphrase, until: Date().addingTimeInterval(3_600))
        print("filling an encrypted store with \(visits) visits and \(households) households …")
        for n in 0..<households {
            try store.addHousehold(HouseholdDraft(village: "Thôn \(n % 5 + 1)", houseNumber: "\(n + 1)", street: "ngõ \(n % 40 + 1)",
                                                  head: "Nguyễn Văn Hộ \(n)", adults: "\(n % 4 + 1)"))
        }
        let services: [Service] = [.vneidLevel2, .eWallet, .publicService]
        var logged = 0
        while logged < visits {
            var batch: [VisitDraft] = []
            for n in logged..<min(visits, logged + 1_000) {
                let failed = n % 7 == 0
                let phone: PhoneNumber? = n % 2 == 0 ? try PhoneNumber(validating: String(format: "09%08d", n)) : nil
                let visitedAt = Date().addingTimeInterval(-Double(n) * 600)
                batch.append(VisitDraft(service: services[n % 3], outcome: failed ? .failed : .done, citizenName: "Công Dân Số \(n)", phone: phone,
                                        reason: failed ? .otpNotReceived : nil, note: n % 5 == 0 ? "ghi chú \(n)" : "", visitedAt: visitedAt))
            }
            _ = try store.log(batch)
            logged += batch.count
        }
        let someVisit = try store.visits(VisitFilter(search: "Công Dân Số 4711")).first?.visit.id ?? ""

        let (app, printed) = try Executables.start("fieldsync", ["--store", path, "app", "--no-browser"], until: "app.html")
        defer { app.terminate() }
        guard let launch = printed.split(separator: " ").map(String.init).first(where: { $0.hasSuffix("app.html") }),
              let html = try? String(contentsOfFile: launch, encoding: .utf8),
              let start = html.range(of: "url="), let end = html[start.upperBound...].firstIndex(of: "\""),
              let door = URL(string: String(html[start.upperBound..<end]))
        else { throw BenchError.failed("no launch file in \(printed)") }
        let base = "http://127.0.0.1:\(door.port ?? 0)"
        let session = URLSession(configuration: .ephemeral)
        _ = try await session.data(from: door)

        print("store: \(visits) visits (encrypted, unlocked), \(households) households; median of \(rounds) loads after one warm-up")
        print("page                              ms     bytes")
        for page in ["/", "/visits/new", "/search?q=cong+dan+so+4711", "/search?q=0900004711", "/search?q=nguyen+van+ho+12",
                     "/search?day=" + VietnamTime.display(Date()).prefix(10), "/visits/\(someVisit)", "/visits/\(someVisit)/edit", "/due",
                     "/due?unvisited=1", "/flagged", "/sessions", "/sessions/new", "/sync"] {
            var times: [Double] = []
            var bytes = 0
            for run in 0...rounds {
                let begin = DispatchTime.now().uptimeNanoseconds
                let (data, response) = try await session.data(from: URL(string: base + page)!)
                guard (response as? HTTPURLResponse)?.statusCode == 200 else {
                    throw BenchError.failed("\(page): status \((response as? HTTPURLResponse)?.statusCode ?? 0)")
                }
                if run > 0 { times.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6) }
                bytes = data.count
            }
            print(String(format: "%@  %6.1f  %8d", String(page.prefix(30)).padding(toLength: 30, withPad: " ", startingAt: 0), median(times), bytes))
        }

        // Logging a visit: the form's post and the next form it leads to, beside `fieldsync log` on the same store.
        let (form, _) = try await session.data(from: URL(string: base + "/visits/new")!)
        let page = String(decoding: form, as: UTF8.self)
        guard let tokenStart = page.range(of: "name=\"csrf\" value=\"") else { throw BenchError.failed("no form token") }
        let token = String(page[tokenStart.upperBound...].prefix { $0 != "\"" })
        var app_ms: [Double] = [], cli_ms: [Double] = []
        for n in 0...rounds * 4 {
            var request = URLRequest(url: URL(string: base + "/visits")!)
            request.httpMethod = "POST"
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.setValue(base, forHTTPHeaderField: "Origin")
            request.httpBody = Data("csrf=\(token)&service=vneid-level2&outcome=done&name=Benchmark+App+\(n)&commune=00004&consent=1&phone=0912345678".utf8)
            let begin = DispatchTime.now().uptimeNanoseconds
            let (_, response) = try await session.data(for: request)
            guard (response as? HTTPURLResponse)?.url?.path == "/visits/new" else { throw BenchError.failed("logging from the form failed") }
            if n > 0 { app_ms.append(Double(DispatchTime.now().uptimeNanoseconds - begin) / 1e6) }
            let cliBegin = DispatchTime.now().uptimeNanoseconds
            let cli = try Executables.run("fieldsync", ["--store", path, "log", "--service", "vneid-level2", "--outcome", "done", "--name", "Benchmark CLI \(n)",
                                                        "--phone", "0912345678"])
            guard cli.status == 0 else { throw BenchError.failed("fieldsync log: \(cli)") }
            if n > 0 { cli_ms.append(Double(DispatchTime.now().uptimeNanoseconds - cliBegin) / 1e6) }
        }
        print(String(format: "log a visit from the form (post + next form): median %.1f ms; `fieldsync log` (process): median %.1f ms",
                     median(app_ms), median(cli_ms)))
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
}
