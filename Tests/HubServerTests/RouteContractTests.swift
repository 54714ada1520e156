import CitizenPseudonym
import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HubServer
import HubCore
import HubSQLite
import SyncProtocol
import Testing

/// Every route, answered in process, with the status codes Protocol/openapi.yaml declares for it.
@Suite struct RouteContractTests {
    /// `path → method → declared status codes`, read from openapi.yaml (its layout is regular).
    static let declared: [String: [String: Set<Int>]] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/openapi.yaml")
        // Losing this error is safe: an unreadable document declares nothing, so every check below fails loudly.
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        var result: [String: [String: Set<Int>]] = [:]
        var path: String?, method: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("  /") { path = String(line.dropFirst(2).dropLast()); method = nil; continue }
            if !line.hasPrefix(" ") { path = nil }
            guard let current = path else { continue }
            if line.hasPrefix("    "), !line.hasPrefix("     "), line.hasSuffix(":") {
                method = String(line.dropFirst(4).dropLast()).uppercased()
                continue
            }
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if let method, line.hasPrefix("        \""), trimmed.count >= 5, let code = Int(trimmed.dropFirst().prefix(3)) {
                result[current, default: [:]][method, default: []].insert(code)
            }
        }
        return result
    }()

    /// The openapi template a concrete path matches.
    static func template(of uri: String) -> String? {
        let parts = uri.split(separator: "?")[0].split(separator: "/")
        return declared.keys.first { template in
            let pattern = template.split(separator: "/")
            return pattern.count == parts.count && zip(pattern, parts).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
        }
    }

    @Test func everyRouteAnswersOnlyWithADeclaredStatus() async throws {
        let dir = TemporaryDirectory()
        let hubPath = dir.file("hub.sqlite")
        let store = try HubService(path: hubPath)
        let now = Date()
        func token(_ role: Role, _ scope: Scope) async throws -> String {
            let code = try await store.createEnrollmentCode(role: role, scope: scope, validFor: 86_400)
            return try await store.enroll(EnrollRequest(code: code, replica: nil, volunteer: "Lan")).token
        }
        let volunteer = try await token(.volunteer, Scope(team: "T-01", commune: "00004"))
        let coordinator = try await token(.coordinator, Scope(commune: "00004"))
        let freshCode = try await store.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"), validFor: 86_400)
        let laptop = try FieldStore.create(at: dir.file("lan.sqlite"), volunteer: "Lan", team: "T-01", commune: "00004", now: now)
        _ = try laptop.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Văn Bình"), now: now)
        let pending = try laptop.pendingPush(now: now)
        let push = PushRequest(replica: laptop.profile.replicaID, seq: pending.seq, batch: "b-1", unsynced: 0,
                               records: pending.states, conflicts: nil).encoded()

        let service = store
        let evaluator = PseudonymEvaluator(secret: PseudonymSecret(version: 1, key: CitizenPseudonym.HubKey()), perDay: 2)
        let app = Application(router: HubRoutes(service: service, metrics: HubMetrics(), pseudonyms: evaluator).router())
        let blinded = try CitizenPseudonym.blind(["001203012345", "079190123456"]).map { "\"\(CitizenPseudonym.hex($0.request))\"" }
        let calls: [(HTTPRequest.Method, String, String?, String?, Int)] = [
            (.get, "/v1/health", nil, nil, 200),
            (.get, "/", nil, nil, 302),
            (.get, "/favicon.ico", nil, nil, 200),
            (.post, "/v1/enroll", nil, "{}", 400),
            (.post, "/v1/enroll", nil, #"{"code":"AAAA-BBBB-CCCC"}"#, 401),
            (.post, "/v1/enroll", nil, #"{"code":"\#(freshCode)"}"#, 200),
            (.post, "/v1/push", nil, "{}", 401),
            (.post, "/v1/push", volunteer, "{\"replica\":", 400),
            (.post, "/v1/push", coordinator, String(decoding: push, as: UTF8.self), 403),
            (.post, "/v1/push", volunteer, String(decoding: push, as: UTF8.self), 200),
            (.post, "/v1/pseudonyms", nil, #"{"blinded":[]}"#, 401),
            (.post, "/v1/pseudonyms", coordinator, #"{"blinded":[\#(blinded[0])]}"#, 403),
            (.post, "/v1/pseudonyms", volunteer, #"{"blinded":["02"]}"#, 400),
            (.post, "/v1/pseudonyms", volunteer, #"{"blinded":[\#(blinded.joined(separator: ","))]}"#, 200),
            (.post, "/v1/pseudonyms", volunteer, #"{"blinded":[\#(blinded[0])]}"#, 429),
            (.post, "/v1/held", nil, #"{"replica":"00000000000000aa","writes":[]}"#, 401),
            (.post, "/v1/held", coordinator, #"{"replica":"00000000000000aa","writes":[]}"#, 403),
            (.post, "/v1/held", volunteer, #"{"replica":"00000000000000aa","writes":[{"record":"","seq":0}]}"#, 400),
            (.post, "/v1/held", volunteer, #"{"replica":"\#(laptop.profile.replicaID)","writes":[]}"#, 200),
            (.get, "/v1/pull?after=x", volunteer, nil, 400),
            (.get, "/v1/pull", volunteer, nil, 200),
            (.get, "/v1/pull", "no-such-token", nil, 401),
            (.get, "/v1/reports/merge", volunteer, nil, 403),
            (.get, "/v1/reports/merge", coordinator, nil, 200),
            (.get, "/v1/reports/progress?commune=00008", coordinator, nil, 403),
            (.get, "/v1/reports/salaries", coordinator, nil, 404),
            (.get, "/v1/reports/devices?staleDays=0", coordinator, nil, 400),
            (.get, "/v1/conflicts", coordinator, nil, 200),
            (.get, "/v1/audit", coordinator, nil, 200),
            (.get, "/v1/audit?after=-1", coordinator, nil, 400),
            (.get, "/v1/audit", volunteer, nil, 403),
            (.get, "/v1/audit", nil, nil, 401),
            (.get, "/v1/conflicts", volunteer, nil, 403),
            (.get, "/v1/kinds", volunteer, nil, 200),
            (.get, "/v1/kinds", nil, nil, 401),
            (.get, "/v1/conflicts?status=maybe", coordinator, nil, 400),
            (.get, "/v1/conflicts/0123456789abcdef", coordinator, nil, 404),
            (.post, "/v1/conflicts/0123456789abcdef/resolve", coordinator, #"{"choice":"keep"}"#, 404),
            (.post, "/v1/conflicts/0123456789abcdef/resolve", coordinator, #"{"choice":"#, 400),
            (.post, "/v1/conflicts/0123456789abcdef/resolve", volunteer, #"{"choice":"keep"}"#, 403),
            (.get, "/metrics", nil, nil, 403),  // the test client has no loopback address
            (.get, "/v1/releases/latest", volunteer, nil, 404),  // nothing published
            (.get, "/v1/releases/latest", nil, nil, 401),
            (.get, "/v1/releases/files/fieldsync_0.4.0-1_amd64.deb", volunteer, nil, 404),
            (.get, "/v1/releases/files/..%2Fhub.sqlite", volunteer, nil, 404),
        ]
        try await app.test(.router) { client in
            for (method, uri, bearer, body, expected) in calls {
                var headers: HTTPFields = [.contentType: "application/json"]
                if let bearer { headers[.authorization] = "Bearer \(bearer)" }
                let response = try await client.execute(uri: uri, method: method, headers: headers,
                                                        body: body.map { ByteBuffer(string: $0) })
                let status = Int(response.status.code)
                #expect(status == expected, "\(method) \(uri): \(String(buffer: response.body))")
                let template = Self.template(of: uri)
                let allowed = template.flatMap { Self.declared[$0]?[method.rawValue] } ?? []
                #expect(allowed.contains(status), "\(method) \(uri) answered \(status), openapi.yaml declares \(allowed.sorted())")
                if status >= 400 {
                    let error = try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any]
                    #expect((error?["error"] as? [String: Any])?["code"] is String, "\(uri): error body \(String(buffer: response.body))")
                }
            }
            // A method the document does not declare for a path it declares: 405 naming the one it takes.
            for (template, methods) in Self.declared {
                let uri = template.replacingOccurrences(of: "{name}", with: "merge").replacingOccurrences(of: "{id}", with: "0123456789abcdef")
                    .replacingOccurrences(of: "{file}", with: "fieldsync_0.4.0-1_amd64.deb")
                let response = try await client.execute(uri: uri, method: .delete, headers: [.authorization: "Bearer \(volunteer)"])
                #expect(response.status == .methodNotAllowed && response.headers[.allow] == methods.keys.sorted().joined(separator: ", "),
                        "DELETE \(uri) answered \(response.status.code), Allow \(response.headers[.allow] ?? "-")")
            }
        }
        // Every declared operation was exercised (and the document was read: 17 paths, one operation each).
        #expect(Self.declared.count == 17 && Self.declared.values.map(\.count).reduce(0, +) == 17, "\(Self.declared)")
        let exercised = Set(calls.compactMap { call in Self.template(of: call.1).map { "\(call.0.rawValue) \($0)" } })
        let all = Set(Self.declared.flatMap { path, methods in methods.keys.map { "\($0) \(path)" } })
        #expect(all.subtracting(exercised).isEmpty, "not exercised: \(all.subtracting(exercised).sorted())")
    }
}
