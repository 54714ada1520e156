import FieldModel
import Foundation
import HTTPTypes
import Hummingbird
import HubReports
import HubCore
import HubSQLite
import Localization
import Logging
import NIOCore
import OfflineBundle
import RecordKinds
import SyncCore
import SyncProtocol
import TextSafety
import WireCompression

/// The hub's HTTP endpoints (Protocol/openapi.yaml) over a store (`HubStorage`: SQLite or PostgreSQL).
public struct HubRoutes: Sendable {
    let service: any HubStorage
    let limits: ServerLimits
    let throttle: EnrollmentThrottle
    let metrics: HubMetrics?
    let console: ConsoleRoutes
    let pseudonyms: PseudonymEvaluator?
    let recoveryKey: String?
    /// The hub's bundle keys (§9): their public halves go to volunteers' laptops at enrolment; the
    /// signing key signs their certificates (§9.1).
    let bundleKeys: BundleKeys?
    /// The version reported by `/v1/health`.
    public static let version = FieldSyncVersion.current

    /// Routes over a service, with the server's limits, and `/metrics` when `metrics` is given.
    /// `secureCookies`: the console's session cookie is sent over HTTPS only. Without `pseudonyms`
    /// the hub evaluates no citizen IDs (503): visits keep pending pseudonyms.
    public init(service: any HubStorage, limits: ServerLimits = ServerLimits(), metrics: HubMetrics? = nil, secureCookies: Bool = false,
                pseudonyms: PseudonymEvaluator? = nil, recoveryKey: String? = nil, bundleKeys: BundleKeys? = nil,
                coverage: CoverageCache = CoverageCache()) {
        self.service = service
        self.pseudonyms = pseudonyms
        self.recoveryKey = recoveryKey
        self.bundleKeys = bundleKeys
        self.limits = limits
        self.metrics = metrics
        console = ConsoleRoutes(service: service, limits: limits, secureCookies: secureCookies, coverage: coverage)
        throttle = EnrollmentThrottle(limit: limits.enrollFailures, window: limits.enrollWindowSeconds)
    }

    /// A router with every endpoint, the JSON error middleware and bearer authentication.
    public func router() -> Router<HubRequestContext> {
        let router = Router(context: HubRequestContext.self)
        if metrics != nil { router.add(middleware: MetricsMiddleware()) }
        router.add(middleware: JSONErrorMiddleware(metrics: metrics))
        if let minimum = limits.minClient { router.add(middleware: ClientVersionMiddleware(minimum: minimum)) }
        router.get("/v1/health") { _, _ in try await health() }
        // A coordinator given the hub's address opens it in a browser: the console's sign-in, not a 404.
        router.get("/") { _, _ in Response.redirect(to: "/console", type: .found) }
        router.get("/favicon.ico") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "public, max-age=86400"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: Self.favicon)))
        }
        if let metrics {
            router.get("/metrics") { request, context in
                let address = ClientAddress.of(request, context, trusted: limits.trustedProxies)
                guard limits.publicMetrics || Self.isLoopback(address) else {
                    throw HubError.outOfScope("metrics are served to this machine only (serve --public-metrics to change that)")
                }
                let text = metrics.exposition(storeBytes: service.storeBytes())
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: ResponseBody(byteBuffer: ByteBuffer(bytes: text)))
            }
        }
        router.post("/v1/enroll") { request, context in try await enroll(request, context) }
        let authenticated = router.group("/v1").add(middleware: BearerAuthMiddleware(service: service, limits: limits))
        authenticated.post("push") { request, context in try await push(request, context) }
        authenticated.post("pseudonyms") { request, context in try await evaluatePseudonyms(request, context) }
        authenticated.post("held") { request, context in try await heldWrites(request, context) }
        authenticated.get("pull") { request, context in try await pull(request, context) }
        authenticated.get("reports/:name") { request, context in try await report(request, context) }
        authenticated.get("conflicts") { request, context in try await conflicts(request, context) }
        authenticated.get("audit") { request, context in try await audit(request, context) }
        authenticated.get("kinds") { _, _ in try Self.json(KindsAnswer(kinds: try await service.kinds().map(\.document))) }
        authenticated.get("conflicts/:id") { request, context in try await conflict(request, context) }
        authenticated.post("conflicts/:id/resolve") { request, context in try await resolve(request, context) }
        authenticated.get("releases/latest") { request, context in try await latestRelease(request, context) }
        authenticated.get("releases/files/:file") { request, context in try await releaseFile(request, context) }
        console.add(to: router)
        return router
    }

    /// The console's icon: a 16×16 green square (PNG).
    static let favicon: [UInt8] = Array(Data(base64Encoded: """
        iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAIAAACQkWg2AAAAFklEQVR42mOQz/cnCTGMahjVMHw1AABO3t0BXqoaygAAAABJRU5ErkJggg==
        """) ?? Data())

    /// Liveness and readiness: the version, the store's schema, and whether the store answers.
    func health() async throws -> Response {
        do {
            // A store that does not answer within 5 s is not ready (a load balancer's check gives up about then).
            let service = self.service
            let schema = try await withThrowingTaskGroup(of: Int?.self) { group in
                group.addTask { try await service.schemaVersion() }
                group.addTask {
                    try await Task.sleep(for: .seconds(5))
                    return nil
                }
                defer { group.cancelAll() }
                guard let schema = try await group.next() ?? nil else { throw HubError.unavailable("the store did not answer in 5 s") }
                return schema
            }
            return try Self.json(Health(status: "ok", ready: true, version: Self.version, schema: schema, hubReplica: service.replicaID))
        } catch {
            return try Self.json(Health(status: "unavailable", ready: false, version: Self.version, schema: nil,
                                        hubReplica: service.replicaID), status: .serviceUnavailable)
        }
    }

    /// Whether an address is this machine's.
    static func isLoopback(_ address: String) -> Bool {
        address.hasPrefix("127.") || address == "::1" || address.hasPrefix("::ffff:127.")
    }

    func enroll(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let address = ClientAddress.of(request, context, trusted: limits.trustedProxies)
        let body = try WireJSON.decode(EnrollRequest.self, from: Data(try await body(of: request, context, limit: 16 * 1024)))
        // Counted before the code is looked up, so parallel guesses cannot all be tried; a right code gives it back.
        if let wait = throttle.reserve(address, now: service.clock.now()) {
            context.logger.warning("enrolment refused: too many wrong codes", metadata: ["address": "\(address)"])
            throw HubError.tooManyRequests("too many wrong enrolment codes from this address: wait \(wait) s and check the code",
                                           retryAfter: wait)
        }
        var response: EnrollResponse
        do {
            response = try await service.enroll(body)
        } catch HubError.invalidEnrollmentCode {
            context.logger.warning("wrong enrolment code", metadata: ["address": "\(address)"])
            throw HubError.invalidEnrollmentCode
        } catch {
            // Not a wrong code (a code of another commune, a full disk): the try does not count.
            throttle.release(address)
            throw error
        }
        throttle.release(address)
        if response.role == .volunteer {
            response.pseudonymKey = pseudonyms?.secret.publicKey
            response.recoveryKey = recoveryKey
            response.hubBundleKeys = bundleKeys?.publicText
            response.releaseKey = pinnedReleaseKey(context)
            response.certificate = try await certificate(for: try await service.authenticate(token: response.token))
        }
        try await service.appendAudit([AuditDraft(actor: response.device, action: .enrol, scope: Device.text(of: response.scope),
                                                  detail: ["role": response.role.rawValue, "address": address])])
        context.logger.info("device enrolled", metadata: [
            "device": "\(response.device)", "role": "\(response.role.rawValue)", "address": "\(address)",
        ])
        return try Self.json(response)
    }

    func push(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let kinds = try await publishedKinds(answering: request)
        let body = try PushRequest.decode(try await body(of: request, context, limit: WireLimits.maxBodyBytes))
        var response = try await service.push(body, from: device)
        response.pseudonymKeyVersion = pseudonyms?.secret.version
        if let after = body.pullAfter {
            // The first pull page rides on the answer (§6.2); like every page, it passes the states the hub
            // holds exactly as this device sent them. The checkpoint is noted once per sync, with the last batch.
            response.pull = try await service.pull(after: after, limit: WireLimits.defaultPullLimit, for: device,
                                                   session: body.sync, checkpoint: body.unsynced == 0)
        }
        if body.unsynced == 0, let certificate = try await certificate(for: device) {
            // The sync's last batch renews the laptop's certificate and brings its commune's revocations (§9.1).
            response.certificate = certificate
            response.revoked = try await service.devices()
                .filter { $0.revokedAt != nil && $0.scope.commune == device.scope.commune }.map(\.id)
        }
        metrics?.count(response)
        context.logger.info("push merged", metadata: [
            "device": "\(device.id)", "batch": "\(response.batch.prefix(64))", "received": "\(response.received)",
            "fastForward": "\(response.fastForward)", "conflicts": "\(response.conflicts)",
            "rejected": "\(response.rejected.count)", "hubSeq": "\(response.hubSeq)",
        ])
        let compact = CompactStates.isAccepted(request.headers[.accept])
        return Self.announcing(kinds, Self.sync(response.encoded(compact: compact), for: request, compact: compact))
    }

    /// How many kind versions the hub has published, for a sync request: once there is one, a laptop whose protocol is
    /// older than `FieldSyncVersion.publishedKindsProtocol` would drop the fields it does not know, so it is refused
    /// with 426 before anything is read or written (Protocol/README.md §8.2, §12).
    func publishedKinds(answering request: Request) async throws -> Int {
        let count = try await service.publishedKindCount()
        let named = FieldSyncVersion.protocolNamed(by: request.headers[ClientVersionMiddleware.header])
        if count > 0, (named ?? 0) < FieldSyncVersion.publishedKindsProtocol {
            throw HubError.upgradeRequired(ClientVersionMiddleware.kindsMessage)
        }
        return count
    }

    /// A sync answer that says how many kind versions the hub has published (`FieldSync-Kinds`), so a laptop asks for
    /// `GET /v1/kinds` only when that changed (Protocol/README.md §12).
    static func announcing(_ kinds: Int, _ response: Response) -> Response {
        var response = response
        if let name = kindsHeader { response.headers[name] = "\(kinds)" }
        return response
    }

    static let kindsHeader = HTTPField.Name("FieldSync-Kinds")

    /// `POST /v1/held` (§1.1): which writes of one of its replicas a restored laptop's hub holds.
    func heldWrites(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        guard device.role == .volunteer else { throw HubError.outOfScope("only volunteers' laptops write visits; this is a coordinator's device") }
        let body = try WireJSON.decode(HeldWritesRequest.self, from: Data(try await body(of: request, context, limit: WireLimits.maxBodyBytes)))
        guard body.writes.count <= HeldWritesRequest.maxWrites else {
            throw HubError.invalidRequest("ask about at most \(HeldWritesRequest.maxWrites) writes at once, not \(body.writes.count)")
        }
        guard body.writes.allSatisfy({ !$0.record.isEmpty && $0.record.utf8.count <= 64 && (1...WireLimits.maxCounter).contains($0.seq) }) else {
            throw HubError.invalidRequest("each write names a record (1–64 characters) and a seq from 1 to 2^53")
        }
        let answer = try await service.heldWrites(body, from: device)
        context.logger.info("held writes asked", metadata: [
            "device": "\(device.id)", "asked": "\(body.writes.count)", "held": "\(answer.held.count)", "highWater": "\(answer.highWater)",
        ])
        return try Self.json(answer)
    }

    func evaluatePseudonyms(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        guard device.role == .volunteer else {
            throw HubError.outOfScope("pseudonyms are for volunteers' laptops; this is a coordinator's device")
        }
        guard let pseudonyms else { throw HubError.unavailable("this hub has no pseudonym key loaded: the operator restarts it with its key file") }
        let body = try WireJSON.decode(PseudonymRequest.self, from: Data(try await body(of: request, context, limit: 64 * 1024)))
        do {
            let response = try await pseudonyms.evaluate(body, device: device, storage: service, now: service.clock.now())
            metrics?.countPseudonyms(response.evaluations.count)
            context.logger.info("pseudonyms evaluated", metadata: [
                "device": "\(device.id)", "asked": "\(body.blinded.count)", "evaluated": "\(response.evaluations.count)",
                "remainingToday": "\(response.remainingToday)",
            ])
            return Self.sync(Array(try WireJSON.encoder.encode(response)), for: request)
        } catch let error as HubError {
            if case .tooManyRequests = error {
                context.logger.warning("pseudonyms refused: daily allowance used", metadata: [
                    "device": "\(device.id)", "asked": "\(body.blinded.count)",
                ])
            }
            throw error
        }
    }

    func pull(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireDevice()
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"], name: "after", in: 0...WireLimits.maxCounter, default: 0)
        let limit = try Self.integer(query["limit"], name: "limit", in: 1...UInt64(WireLimits.maxPullLimit),
                                     default: UInt64(WireLimits.defaultPullLimit))
        let session = try query["sync"].map { text throws -> String in
            guard PushRequest.isSession(String(text)) else {
                throw HubError.invalidRequest("sync should be 1 to 64 letters, digits or -, from the push of the same sync")
            }
            return String(text)
        }
        let kinds = try await publishedKinds(answering: request)
        let page = try await service.pull(after: after, limit: Int(limit), for: device, session: session, checkpoint: true)
        if device.role == .coordinator {
            // A person reading every visit of an area (names, phones) leaves a line; a volunteer's sync does not.
            try await service.appendAudit([AuditDraft(actor: device.id, action: .read, scope: device.scopeText,
                                                      detail: ["what": "pull", "after": "\(after)", "records": "\(page.records.count)"])])
        }
        let compact = CompactStates.isAccepted(request.headers[.accept])
        return Self.announcing(kinds, Self.sync(page.encoded(compact: compact), for: request, compact: compact))
    }

    func report(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireCoordinator()
        let query = request.uri.queryParameters
        guard let name = context.parameters.get("name").flatMap(ReportName.init(rawValue:)) else {
            throw HubError.notFound("no such report: use " + ReportName.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let format = ReportFormat(rawValue: query["format"].map(String.init) ?? "json") else {
            throw HubError.invalidRequest("format must be one of " + ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let filter = try ReportFilter.parsing(since: query["since"].map(String.init), until: query["until"].map(String.init),
                                              province: query["province"].map(String.init), commune: query["commune"].map(String.init))
            .limited(to: device.scope)
        let staleDays = try Self.integer(query["staleDays"], name: "staleDays", in: 1...UInt64(Hub.maxStaleDays), default: 7)
        guard let language = Language(rawValue: query["lang"].map(String.init) ?? "vi") else {
            throw HubError.invalidRequest("lang must be vi or en")
        }
        let table = try query["table"].map { text throws(HubError) in
            guard text.utf8.count <= 40 else { throw HubError.invalidRequest("table must be a table's name (40 characters at most)") }
            return String(text)
        }
        try await service.appendAudit([AuditDraft(actor: device.id, action: .report, scope: Device.text(of: filter.scope), detail: [
            "report": name.rawValue, "format": format.rawValue, "since": filter.since ?? "", "until": filter.until ?? "",
        ])])
        let text = try await ReportRenderer.render(ReportRequest(name: name, format: format, filter: filter, staleDays: Int(staleDays),
                                                                 language: language, table: table, qualityRules: limits.qualityRules),
                                                   storage: service)
        return Response(status: .ok, headers: [.contentType: format.contentType],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    /// The audit log's lines inside the coordinator's area, after a seq (Protocol/openapi.yaml).
    func audit(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireCoordinator()
        let query = request.uri.queryParameters
        let after = try Self.integer(query["after"], name: "after", in: 0...WireLimits.maxCounter, default: 0)
        let limit = try Self.integer(query["limit"], name: "limit", in: 1...1_000, default: 500)
        let page = try await service.auditEntries(after: Int64(after), limit: Int(limit))
        let lines = page.entries.filter { AuditDraft.area(of: $0.scope).map { ConsoleRoutes.inside($0, device.scope) } ?? (device.scope == Scope()) }
        try await service.appendAudit([AuditDraft(actor: device.id, action: .auditRead, scope: device.scopeText,
                                                  detail: ["after": "\(after)", "lines": "\(lines.count)"])])
        return try Self.json(AuditAnswer(entries: lines, last: page.entries.last?.seq ?? Int64(after)))
    }

    func conflicts(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireCoordinator()
        let query = request.uri.queryParameters
        guard let status = ConflictStatus(rawValue: query["status"].map(String.init) ?? "open") else {
            throw HubError.invalidRequest("status must be one of " + ConflictStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let filter = try ReportFilter.parsing(since: query["since"].map(String.init), until: query["until"].map(String.init),
                                              province: query["province"].map(String.init), commune: query["commune"].map(String.init))
            .limited(to: device.scope)
        let lines = try await service.conflicts(status: status, since: filter.since, until: filter.until, scope: filter.scope)
        try await service.appendAudit([AuditDraft(actor: device.id, action: .read, scope: Device.text(of: filter.scope),
                                                  detail: ["what": "conflicts", "entries": "\(lines.count)"])])
        return try Self.json(ConflictList(conflicts: lines))
    }

    func conflict(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireCoordinator()
        let id = context.parameters.get("id") ?? ""
        let line = try await service.conflict(id, scope: device.scope)
        try await service.appendAudit([AuditDraft(actor: device.id, action: .read, scope: device.scopeText,
                                                  detail: ["what": "conflict", "conflict": line.id, "visit": line.record])])
        return try Self.json(line)
    }

    func resolve(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let device = try context.requireCoordinator()
        let id = context.parameters.get("id") ?? ""
        let body = try WireJSON.decode(ResolveRequest.self, from: Data(try await body(of: request, context, limit: 16 * 1024)))
        let choice: ConflictChoice
        switch body.choice {
        case "keep": choice = .keep
        case "take": choice = .take
        case "set":
            var values: [String: FieldValue] = [:]
            for (name, text) in body.values ?? [:] { values[name] = try Hub.typedValue(text ?? "", for: name) }
            choice = .set(values)
        default: throw HubError.invalidRequest("choice must be keep, take or set")
        }
        guard body.choice == "set" || body.values == nil else { throw HubError.invalidRequest("values go with choice set only") }
        let who = device.volunteer ?? device.id
        let (line, before) = try await service.resolveConflict(id, choice: choice, by: who, device: device.id, scope: device.scope)
        try await service.appendAudit([AuditDraft(actor: device.id, action: .conflictResolve, scope: Device.text(of: Scope(commune: line.commune)),
                                                  detail: ["visit": line.record, "conflict": line.id, "choice": body.choice, "by": who])])
        context.logger.info("conflict resolved", metadata: [
            "device": "\(device.id)", "conflict": "\(line.id)", "choice": "\(body.choice)", "again": "\(before)",
        ])
        return try Self.json(ResolveResponse(alreadyResolved: before, conflict: line))
    }

    /// A whole number from the query within `range`, or 400 naming the parameter and the range.
    static func integer(_ text: Substring?, name: String, in range: ClosedRange<UInt64>, default value: UInt64) throws -> UInt64 {
        guard let text else { return value }
        guard text.utf8.count <= 20, text.utf8.allSatisfy({ (48...57).contains($0) }), let number = UInt64(text),
              range.contains(number)
        else { throw HubError.invalidRequest("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)") }
        return number
    }

    /// The body's bytes: at most `limit` of them (413 beyond), within the body deadline (408 beyond, and
    /// the connection is closed so a client trickling bytes cannot hold it).
    func body(of request: Request, _ context: HubRequestContext, limit: Int) async throws -> [UInt8] {
        try await Self.body(of: request, context, limit: limit, seconds: limits.bodySeconds)
    }

    /// `body(of:_:limit:)` with the deadline given.
    static func body(of request: Request, _ context: HubRequestContext, limit: Int, seconds: Int64) async throws -> [UInt8] {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw HubError.payloadTooLarge(limit: limit)
        }
        let channel = context.channel
        return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
            group.addTask {
                do {
                    return Array(try await request.body.collect(upTo: limit).readableBytesView)
                } catch is CancellationError {
                    return nil
                } catch let error as HubError {
                    throw error
                } catch {
                    throw HubError.payloadTooLarge(limit: limit)
                }
            }
            group.addTask {
                try await Task.sleep(for: .seconds(seconds))
                return nil
            }
            let first = try await group.next() ?? nil
            group.cancelAll()
            guard let bytes = first else {
                // Let the 408 reach the client, then cut the connection.
                channel.eventLoop.scheduleTask(in: .seconds(1)) { channel.close(promise: nil) }
                throw HubError.requestTimeout(seconds: seconds)
            }
            return try Self.decoded(bytes, encoding: request.headers[.contentEncoding], limit: limit)
        }
    }

    /// A body as sent with `Content-Encoding` (Protocol/README.md §6.1), inflated to at most `limit` bytes:
    /// 413 beyond (a small bomb cannot exhaust the hub), 400 for data that is not of its encoding or an unknown encoding.
    static func decoded(_ bytes: [UInt8], encoding header: String?, limit: Int) throws -> [UInt8] {
        let encoding: WireCompression?
        switch WireCompression.named(header) {
        case .success(let named): encoding = named
        case .failure(let unknown):
            throw HubError.invalidRequest("Content-Encoding \(SafeText.quote(unknown.name)) is not supported: send gzip, deflate or none")
        }
        guard let encoding else { return bytes }
        do {
            return try encoding.decompress(bytes, limit: limit)
        } catch .tooLarge {
            throw HubError.payloadTooLarge(limit: limit)
        } catch {
            throw HubError.invalidRequest("the body is not valid \(encoding.rawValue) data (Content-Encoding: \(encoding.rawValue))")
        }
    }

    /// A fresh certificate for a volunteer's device that gave bundle keys at enrolment (§9.1); nil otherwise.
    func certificate(for device: Device) async throws -> DeviceCertificate? {
        guard let bundleKeys, device.role == .volunteer, device.revokedAt == nil, let commune = device.scope.commune,
              let keys = try await service.bundleKey(device: device.id), BundleKeys.publicKeys(keys) != nil
        else { return nil }
        let now = service.clock.now()
        return try DeviceCertificate(DeviceCertificate.Claims(device: device.id, commune: commune, team: device.scope.team, keys: keys,
                                                              hub: service.replicaID,
                                                              issued: ISODate.format(now),
                                                              expires: ISODate.format(now.addingTimeInterval(DeviceCertificate.validity))),
                                     signedBy: bundleKeys.signing)
    }

    /// The request codings the hub takes, advertised on its answers (RFC 7694).
    static let acceptedEncodings = WireCompression.allCases.map(\.rawValue).joined(separator: ", ")

    /// The body forms the hub takes in sync requests (§6.3), advertised on its answers (`Accept-Post`).
    static let acceptedForms = "application/json, \(CompactStates.mediaType)"

    /// A 200 answer of sync bytes, compressed when the client accepts it and it is worth it (§6.1).
    /// - Parameter compact: the bytes hold states in the compact form (§6.3).
    static func sync(_ bytes: [UInt8], for request: Request, compact: Bool = false) -> Response {
        var headers: HTTPFields = [.contentType: compact ? CompactStates.mediaType : "application/json; charset=utf-8",
                                   .vary: "Accept, Accept-Encoding", .acceptEncoding: acceptedEncodings, .acceptPost: acceptedForms]
        if bytes.count >= WireCompression.threshold, let encoding = WireCompression.preferred(accepting: request.headers[.acceptEncoding]),
           let compressed = try? encoding.compress(bytes) {
            // Losing this error is safe: compressing a buffer in memory does not fail in practice, and the plain bytes are sent instead.
            headers[.contentEncoding] = encoding.rawValue
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: compressed)))
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    /// A 200 JSON response.
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try WireJSON.encoder.encode(value)
        return Response(status: status, headers: [.contentType: "application/json; charset=utf-8", .acceptEncoding: acceptedEncodings,
                                                  .acceptPost: acceptedForms],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}

/// `GET /v1/conflicts`.
struct ConflictList: Encodable {
    var conflicts: [MergeReport.ConflictLine]
}

/// `POST /v1/conflicts/{id}/resolve`: `keep`, `take`, or `set` with a value per field (null clears it).
struct ResolveRequest: Decodable {
    var choice: String
    var values: [String: String?]?
}

/// The answer to a resolve: the entry with its resolution, and whether it had been resolved before.
struct ResolveResponse: Encodable {
    var alreadyResolved: Bool
    var conflict: MergeReport.ConflictLine
}

/// `GET /v1/health`.
struct Health: Encodable {
    var status: String
    var ready: Bool
    var version: String
    var schema: Int?
    var hubReplica: String
}

extension HTTPField.Name {
    /// The media types a resource takes in POST bodies (W3C LDP, IANA-registered).
    static let acceptPost = Self("Accept-Post")!  // a constant, valid field name: cannot fail
}
