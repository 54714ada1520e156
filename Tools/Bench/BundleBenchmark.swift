import FieldModel
import FieldStore
import FieldSyncClient
import FieldSyncTesting
import Foundation
import HubServer
import HubCore
import HubSQLite
import OfflineBundle
import SyncProtocol

/// Issue 18: offline bundles and LAN exchanges of realistic visits: size per visit, time to export, import and exchange.
enum BundleBenchmark {
    static func run(visits count: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-bundle-bench")
        let hub = try HubService(path: dir.file("hub.sqlite"))
        let hubKeys = BundleKeys()
        let store = try await laptop("Nguyễn Thị Lan", visits: count, seed: 18, hub: hub, hubKeys: hubKeys, dir: dir)
        var start = DispatchTime.now().uptimeNanoseconds
        let exported = try BundleTransfer.export(store)
        let exportSeconds = seconds(since: start)
        start = DispatchTime.now().uptimeNanoseconds
        let outcome = try await BundleImport(storage: hub, keys: hubKeys).run(exported.file)
        let importSeconds = seconds(since: start)
        start = DispatchTime.now().uptimeNanoseconds
        let applied = try BundleTransfer.importAnswer(outcome.answer, into: store)
        let answerSeconds = seconds(since: start)
        guard applied.acknowledged == count else { throw BenchError.failed("the hub received \(applied.acknowledged) of \(count) visits") }
        print(String(format: "bundle of %d realistic visits: %d bytes, %.0f bytes per visit (sealed and signed, base64 inside JSON)",
                     count, exported.file.count, Double(exported.file.count) / Double(count)))
        print(String(format: "export on the laptop %.2f s; import at the hub (open, check, merge as pushes, answer) %.2f s; answer applied on the laptop %.2f s",
                     exportSeconds, importSeconds, answerSeconds))
    }

    /// Two laptops of one commune, each with `count` visits the other lacks, exchange them (§9.1) in
    /// this process: the exchange's own cost (certificates, signing, sealing, merging), without the LAN.
    static func peer(visits count: Int) async throws {
        let dir = TemporaryDirectory(prefix: "fieldsync-peer-bench")
        let hub = try HubService(path: dir.file("hub.sqlite"))
        let hubKeys = BundleKeys()
        let lan = try await laptop("Nguyễn Thị Lan", visits: count, seed: 18, hub: hub, hubKeys: hubKeys, dir: dir)
        let binh = try await laptop("Trần Văn Bình", visits: count, seed: 19, hub: hub, hubKeys: hubKeys, dir: dir)
        let start = DispatchTime.now().uptimeNanoseconds
        let hello = try PeerExchange.hello(lan, nonce: "bench")
        let (request, peer, sent) = try PeerExchange.request(binh, to: hello)
        let (answer, served) = try PeerExchange.answer(request, into: lan) { $0 == "bench" }
        let finished = try PeerExchange.finish(answer, from: peer, nonce: "bench", sent: sent, into: binh)
        let total = seconds(since: start)
        guard served.received == count, finished.received == count, served.conflicts + finished.conflicts == 0 else {
            throw BenchError.failed("received \(served.received) and \(finished.received) of \(count), conflicts \(served.conflicts + finished.conflicts)")
        }
        print(String(format: "LAN exchange, %d new visits each way: request %d bytes, answer %d bytes; %.2f s (%.0f visits merged per second)",
                     count, request.count, answer.count, total, Double(2 * count) / total))
    }

    /// A laptop enrolled at `hub` with a certificate `hubKeys` signed, holding `count` realistic visits
    /// (those of the wire benchmark, logged as a volunteer would, pseudonyms already filled in).
    static func laptop(_ name: String, visits count: Int, seed: UInt64, hub: HubService, hubKeys: BundleKeys,
                       dir: TemporaryDirectory) async throws -> FieldStore {
        let store = try FieldStore.create(at: dir.file("\(name).sqlite"), volunteer: name, team: "T-00004-01", commune: "00004")
        let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-00004-01", commune: "00004"), validFor: 600)
        let keys = try store.bundleKeys().publicText
        var response = try await hub.enroll(EnrollRequest(code: code, replica: store.profile.replicaID, volunteer: name, bundleKeys: keys))
        response.hubBundleKeys = hubKeys.publicText
        let now = Date()
        response.certificate = try DeviceCertificate(
            DeviceCertificate.Claims(device: response.device, commune: "00004", team: "T-00004-01", keys: keys,
                                     hub: response.hubReplica.description, issued: ISODate.format(now),
                                     expires: ISODate.format(now.addingTimeInterval(DeviceCertificate.validity))),
            signedBy: hubKeys.signing)
        try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
        var random = SeededRandom(seed: seed)
        _ = try store.log((0..<count).map { n in
            VisitDraft(service: Service.allCases.randomElement(using: &random) ?? .vneidLevel2, outcome: .done,
                       citizenName: "\(WireBenchmark.family.randomElement(using: &random) ?? "Lê") \(WireBenchmark.middle.randomElement(using: &random) ?? "Văn") \(WireBenchmark.given.randomElement(using: &random) ?? "An") \(n)",
                       phone: Int.random(in: 0..<10, using: &random) < 6 ? try? PhoneNumber(validating: "09" + String(format: "%08d", Int.random(in: 0..<100_000_000, using: &random))) : nil,
                       note: Int.random(in: 0..<10, using: &random) < 3 ? WireBenchmark.notes.randomElement(using: &random) ?? "" : "")
        })
        return store
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
}
