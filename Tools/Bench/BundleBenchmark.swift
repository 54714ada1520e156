import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import Foundation
import HubServer
import HubStore
import OfflineBundle
import SyncProtocol

/// Issue 18: offline bundles of realistic visits: size per visit, time to export and to import.
enum BundleBenchmark {
    static func run(visits count: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-bundle-bench")
        let hub = try HubService(path: dir.file("hub.sqlite"))
        let hubKeys = BundleKeys()
        let store = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Nguyễn Thị Lan", team: "T-00004-01", commune: "00004")
        let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-00004-01", commune: "00004"), validFor: 600)
        var response = try await hub.enroll(EnrollRequest(code: code, replica: store.profile.replicaID, volunteer: "Nguyễn Thị Lan",
                                                          bundleKeys: try store.bundleKeys().publicText))
        response.hubBundleKeys = hubKeys.publicText
        try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
        // The realistic visits of the wire benchmark, logged as a volunteer would (pseudonyms already filled in).
        var random = SeededRandom(seed: 18)
        _ = try store.log((0..<count).map { n in
            VisitDraft(service: Service.allCases.randomElement(using: &random) ?? .vneidLevel2, outcome: .done,
                       citizenName: "\(WireBenchmark.family.randomElement(using: &random) ?? "Lê") \(WireBenchmark.middle.randomElement(using: &random) ?? "Văn") \(WireBenchmark.given.randomElement(using: &random) ?? "An") \(n)",
                       phone: Int.random(in: 0..<10, using: &random) < 6 ? try? PhoneNumber(validating: "09" + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random))) : nil,
                       note: Int.random(in: 0..<10, using: &random) < 3 ? WireBenchmark.notes.randomElement(using: &random) ?? "" : "")
        })
        func seconds(_ start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        var start = DispatchTime.now().uptimeNanoseconds
        let exported = try BundleTransfer.export(store)
        let exportSeconds = seconds(start)
        start = DispatchTime.now().uptimeNanoseconds
        let outcome = try await BundleImport(storage: hub, keys: hubKeys).run(exported.file)
        let importSeconds = seconds(start)
        start = DispatchTime.now().uptimeNanoseconds
        let applied = try BundleTransfer.importAnswer(outcome.answer, into: store)
        let answerSeconds = seconds(start)
        guard applied.acknowledged == count else { throw BenchError.failed("the hub received \(applied.acknowledged) of \(count) visits") }
        print(String(format: "bundle of %d realistic visits: %d bytes, %.0f bytes per visit (sealed and signed, base64 inside JSON)",
                     count, exported.file.count, Double(exported.file.count) / Double(count)))
        print(String(format: "export on the laptop %.2f s; import at the hub (open, check, merge as pushes, answer) %.2f s; answer applied on the laptop %.2f s",
                     exportSeconds, importSeconds, answerSeconds))
    }
}
