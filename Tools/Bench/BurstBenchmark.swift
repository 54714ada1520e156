import CitizenPseudonym
import FieldSyncTesting
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Issue 27: a real sync's pseudonym latency while the hub takes a burst of wrong console passphrases and
/// enrolment codes from many addresses (through `--trusted-proxy`, so no per-address limit stops them first).
enum BurstBenchmark {
    static func run(guesses: Int, rounds: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-burst-bench")
        setenv("FIELDSYNC_BIN_DIR", URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path, 1)
        let hub = try HubProcess(database: dir.file("hub.sqlite"), arguments: ["--trusted-proxy", "127.0.0.1", "--pseudonyms-per-day", "1000000"])
        // The burst comes from many connections at once; the volunteer's sync has its own.
        let burstConfiguration = URLSessionConfiguration.ephemeral
        burstConfiguration.httpMaximumConnectionsPerHost = 512
        let burstSession = URLSession(configuration: burstConfiguration), syncSession = URLSession(configuration: .ephemeral)
        @Sendable func send(_ method: String, _ path: String, body: String, type: String = "application/json", headers: [String: String] = [:])
            async throws -> Int {
            try await exchange(method, path, body: body, type: type, headers: headers, session: burstSession).status
        }
        @Sendable func exchange(_ method: String, _ path: String, body: String, type: String = "application/json", headers: [String: String] = [:],
                                session: URLSession) async throws -> (status: Int, body: Data) {
            var request = URLRequest(url: URL(string: hub.url + path)!)
            request.httpMethod = method
            request.httpBody = Data(body.utf8)
            request.setValue(type, forHTTPHeaderField: "Content-Type")
            request.setValue("fieldsync/0.4.0 protocol/5", forHTTPHeaderField: "FieldSync-Client")
            for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
            let (data, response) = try await session.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        }
        // A coordinator's console account (so a sign-in checks a real hash) and a volunteer's token.
        let issued = try hub.command("enrollment-code", "--commune", "00004", "--role", "coordinator")
        guard issued.status == 0 else { throw HubFailure("enrollment-code: \(issued)") }
        let coordinator = issued.output
        _ = try await send("POST", "/console/join", body: "code=\(coordinator)&login=hai&passphrase=mot+hai+ba+bon+nam&again=mot+hai+ba+bon+nam",
                           type: "application/x-www-form-urlencoded")
        let enrolled = try await exchange("POST", "/v1/enroll", body: #"{"code":"\#(try hub.enrollmentCode(commune: "00004"))","volunteer":"Lan"}"#,
                                          session: syncSession)
        guard enrolled.status == 200, let token = (try JSONSerialization.jsonObject(with: enrolled.body) as? [String: Any])?["token"] as? String
        else { throw HubFailure("enrolment answered \(enrolled.status)") }
        let blinded = try CitizenPseudonym.blind((0..<10).map { String(format: "0012030%05d", $0) })
            .map { "\"\(CitizenPseudonym.hex($0.request))\"" }.joined(separator: ",")
        func pseudonyms() async throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            let status = try await exchange("POST", "/v1/pseudonyms", body: #"{"blinded":[\#(blinded)]}"#,
                                            headers: ["Authorization": "Bearer \(token)"], session: syncSession).status
            guard status == 200 else { throw HubFailure("pseudonyms answered \(status)") }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        var quiet: [Double] = []
        for _ in 0..<rounds { quiet.append(try await pseudonyms()) }
        let (during, statuses) = try await withThrowingTaskGroup(of: (Double?, Int?).self) { group in
            for n in 0..<guesses {
                let address = "10.\(n / 65_536 % 256).\(n / 256 % 256).\(n % 256)"
                group.addTask {
                    (nil, try await send("POST", "/console/sign-in", body: "login=hai&passphrase=sai+\(n)", type: "application/x-www-form-urlencoded",
                                         headers: ["X-Forwarded-For": address]))
                }
                group.addTask {
                    (nil, try await send("POST", "/v1/enroll", body: #"{"code":"AAAA-BBBB-\#(String(format: "%04d", n % 10_000))"}"#,
                                         headers: ["X-Forwarded-For": address]))
                }
            }
            group.addTask {
                var times: [Double] = []
                for _ in 0..<rounds { times.append(try await pseudonyms()) }
                return (times.max(), nil)
            }
            var worst: Double = 0, statuses: [Int: Int] = [:]
            for try await (time, status) in group {
                if let time { worst = time }
                if let status { statuses[status, default: 0] += 1 }
            }
            return (worst, statuses)
        }
        func ms(_ s: Double) -> String { String(format: "%.0f ms", s * 1000) }
        print("pseudonyms (10 per request), quiet: median \(ms(quiet.sorted()[quiet.count / 2])), worst \(ms(quiet.max() ?? 0)) over \(rounds)")
        print("during \(guesses) wrong sign-ins and \(guesses) wrong codes from \(guesses) addresses: worst pseudonym request \(ms(during)) (goal < 1000 ms)")
        print("the burst's answers: " + statuses.sorted { $0.key < $1.key }.map { "\($0.value) × \($0.key)" }.joined(separator: ", "))
        _ = hub.terminate()
    }
}

import Crypto
import HubServer
import HubCore
import HubSQLite
import OfflineBundle
import SyncProtocol

/// Issue 27: what a bundle bomb costs the hub now: a small file whose body inflates to 64 MiB, signed by a key that
/// is not the device's (format 3: refused before inflating), and the same as format 2 (inflated first, capped).
enum BombBenchmark {
    static func run(inflatedMiB: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-bomb-bench")
        let service = try HubService(path: dir.file("hub.sqlite"))
        let hubKeys = BundleKeys(), forger = BundleKeys()
        let code = try await service.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 600)
        let device = try await service.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan", bundleKeys: BundleKeys().publicText)).device
        // The bomb is made by another process (python3's gzip), so this one's peak memory counts only the import.
        let made = try Executables.run("/usr/bin/env", ["python3", "-c",
            "import gzip,sys; sys.stdout.buffer.write(gzip.compress(bytes(\(inflatedMiB) << 20), 9))"])
        guard made.status == 0 else { throw HubFailure("python3 could not make the bomb: \(made.stderr)") }
        let packed = made.stdoutBytes
        func file(format: String, signed: Data) throws -> Data {
            var sender = try HPKE.Sender(recipientKey: hubKeys.agreement.publicKey, ciphersuite: .Curve25519_SHA256_ChachaPoly,
                                         info: Data("\(format) push".utf8))
            let sealed = try sender.seal(try forger.signing.signature(for: signed) + signed)
            return Data(#"{"enc":"\#(sender.encapsulatedKey.base64EncodedString())","format":"\#(format)","kind":"push","sealed":"\#(sealed.base64EncodedString())"}"#.utf8)
        }
        let name = Data(device.utf8)
        let v3 = try file(format: OfflineBundle.format, signed: Data([0, 0, 0, UInt8(name.count)]) + name + packed)
        let v2 = try file(format: OfflineBundle.legacyFormat, signed: packed)
        let importer = BundleImport(storage: service, keys: hubKeys)
        for (label, bytes) in [("format 3", v3), ("format 2", v2)] {
            let before = peakRSS(), start = DispatchTime.now().uptimeNanoseconds
            var outcome = "imported"
            do { _ = try await importer.run(bytes) } catch { outcome = "refused: \(error)" }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            print(String(format: "%@ bomb: %d KB file inflating to %d MiB, %.3f s, peak RSS +%d MiB; %@", label, bytes.count / 1024, inflatedMiB,
                         seconds, max(0, peakRSS() - before), String(outcome.prefix(120))))
        }
    }

    /// The process's peak resident size so far, in MiB.
    static func peakRSS() -> Int {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmHWM") } ?? ""
        return (Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "0") ?? 0) / 1024
    }
}
