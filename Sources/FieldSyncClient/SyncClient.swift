import CitizenPseudonym
import FieldModel
import FieldStore
import Foundation
import Localization
import SyncCore
import SyncProtocol
import WireCompression

/// Runs enrolment and sync for a field store against a hub (Protocol/README.md §6–8).
public struct SyncClient: Sendable {
    let transport: any HTTPSending
    /// The words of the summary's messages to the volunteer.
    let catalogue: Catalogue

    /// A client over a transport, telling the volunteer in the process's language (`--lang`, `FIELDSYNC_LANG`).
    public init(transport: any HTTPSending = HTTPTransport(), catalogue: Catalogue = .process) {
        self.transport = transport
        self.catalogue = catalogue
    }

    /// Trades a one-time code for a device token and saves it in the store.
    /// - Parameter insecureHTTP: allow plain `http://` to a hub that is not on this machine (the token and
    ///   personal data then cross the network unencrypted); remembered for later syncs.
    /// - Parameter again: replace an existing enrolment (a revoked or moved laptop), keeping every visit.
    public func enroll(_ store: FieldStore, server: String, code: String, insecureHTTP: Bool = false,
                       again: Bool = false) async throws -> EnrollResponse {
        let existing = try store.enrollment()
        if let existing, !again { throw SyncError.alreadyEnrolled(server: existing.server) }
        let base = try Self.baseURL(server, allowInsecure: insecureHTTP)
        // A first enrolment names the commune and team the laptop was set up for; `--again` (a move) does not.
        let request = EnrollRequest(code: code.trimmingCharacters(in: .whitespaces), replica: store.profile.replicaID,
                                    volunteer: store.profile.volunteer, bundleKeys: try store.bundleKeys().publicText,
                                    setUpFor: again ? nil : Scope(team: store.profile.team, commune: store.profile.commune),
                                    previousToken: existing?.token)
        let answer: HTTPAnswer
        do {
            answer = try await transport.send("POST", base.appendingPathComponent("v1/enroll"), token: nil,
                                              body: try WireJSON.encoder.encode(request))
        } catch SyncError.unreachable(let host, let detail) {
            throw SyncError.unreachableEnrolling(host, detail)
        }
        let response: EnrollResponse
        do {
            response = try Self.decode(EnrollResponse.self, answer)
        } catch SyncError.hub(_, let body) where [.outOfScope, .invalidEnrollmentCode, .invalidRequest].contains(body.error.code) {
            throw SyncError.enrollRefused(body)
        }
        if existing == nil {
            try store.saveEnrollment(server: base.absoluteString, response: response, insecureHTTP: insecureHTTP)
        } else {
            try store.reenroll(server: base.absoluteString, response: response, insecureHTTP: insecureHTTP)
        }
        // The first push then goes compressed already (§6.1).
        if transport.compressesBodies { try store.noteHubEncodings(answer.acceptsEncodings) }
        return response
    }

    /// Pushes every pending visit in batches, then pulls every page, checkpointing after each.
    /// - Parameter progress: called after every request with where the sync stands.
    public func sync(_ store: FieldStore, progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws -> SyncSummary {
        var summary = SyncSummary()
        let session = Self.newSession()
        try await pseudonyms(store, into: &summary, progress: progress)
        var pulled = try await push(store, into: &summary, session: session, progress: progress)
        if let announced = summary.pseudonymKeyVersion, announced > (try store.pinnedPseudonymKey()?.version ?? announced) {
            // The hub rotated its key: re-derive what this laptop can, and send those visits again now.
            try await pseudonyms(store, into: &summary, atLeast: announced, progress: progress)
            pulled = try await push(store, into: &summary, session: session, progress: progress)
        }
        // The last push answer carried the pull (§6.2); a hub of protocol 3, or more pages, take pull requests.
        if !pulled { try await pull(store, into: &summary, session: transport.compressesBodies ? session : nil, progress: progress) }
        try await kinds(store)
        summary.flagged = try store.flaggedVisits().count
        summary.needsCorrection = try store.needsCorrection().count
        try store.finishSync()
        return summary
    }

    /// Keeps the record kinds the hub publishes (Protocol/README.md §12) for the commands that show them, asking for them
    /// only when a sync answer announced more published versions than the kept answer holds (no request otherwise).
    func kinds(_ store: FieldStore) async throws {
        let (announced, behind) = try store.kindsToFetch()
        guard behind else { return }
        let (base, enrollment) = try Self.hub(of: store)
        let answer = try await transport.send("GET", base.appendingPathComponent("v1/kinds"), token: enrollment.token, body: nil)
        try Self.check(answer)
        try store.saveHubKinds(answer.body, announced: announced)
    }

    /// Has the hub turn the citizen IDs typed here into pseudonyms (Protocol/README.md §4.2), before
    /// the push that carries them: batches of blinded IDs, each answer's proofs checked against the
    /// pinned key. A hub without pseudonyms (503), or this laptop's daily allowance used up (429),
    /// leaves the rest waiting: the visits go without and get theirs at a later sync.
    /// - Parameter atLeast: the key version the hub announced, when newer than the pinned one.
    public func pseudonyms(_ store: FieldStore, into summary: inout SyncSummary, atLeast: Int? = nil,
                           progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws {
        let (base, enrollment) = try Self.hub(of: store)
        let url = base.appendingPathComponent("v1/pseudonyms")
        var attempted = Set<String>()
        // The key version pseudonyms must have: the pinned one, or a newer one the hub announced.
        func wanted() throws -> Int? { try store.pinnedPseudonymKey().map { max($0.version, atLeast ?? 0) } ?? atLeast }
        while true {
            let version = try wanted()
            let work = try store.citizenIDsNeedingPseudonyms(version: version, limit: WireLimits.maxPushRecords)
                .filter { !attempted.contains($0.record) }
            guard !work.isEmpty else { return }
            attempted.formUnion(work.map(\.record))
            // Checking a proof costs milliseconds: chunks go in parallel, each blinded, sent and checked by one task.
            let size = max(64, (work.count + 3) / 4)
            let transport = self.transport
            let compress = try transport.compressesBodies && store.hubEncodings().contains(WireCompression.gzip.rawValue)
            let chunks = try await withThrowingTaskGroup(of: PseudonymChunk.self) { group in
                for start in stride(from: 0, to: work.count, by: size) {
                    let slice = Array(work[start..<min(work.count, start + size)])
                    group.addTask { try await Self.evaluate(slice, url: url, token: enrollment.token, transport: transport, compress: compress) }
                }
                var chunks: [PseudonymChunk] = []
                for try await chunk in group { chunks.append(chunk) }
                return chunks
            }
            var complete = true
            for chunk in chunks {
                guard let key = chunk.key else {
                    complete = false
                    continue
                }
                try store.savePseudonyms(chunk.results, key: key)
                summary.pseudonyms += chunk.results.count
                complete = complete && chunk.complete
            }
            progress?(SyncProgress(.pseudonyms, summary))
            if !complete {
                summary.pseudonymsWaiting = try store.citizenIDsNeedingPseudonyms(version: try wanted(), limit: 1_000_000).count
                return
            }
        }
    }

    /// What one request for pseudonyms gave: the key and the pseudonyms (none when the hub would not
    /// evaluate), and whether every ID asked got one.
    struct PseudonymChunk: Sendable {
        var key: PseudonymKey?
        var results: [(work: PseudonymWork, pseudonym: String)] = []
        var complete = false
    }

    /// Blinds, sends and checks one chunk of citizen IDs.
    static func evaluate(_ work: [PseudonymWork], url: URL, token: String, transport: any HTTPSending,
                         compress: Bool) async throws -> PseudonymChunk {
        let pending = try CitizenPseudonym.blind(work.map(\.digits))
        let request = PseudonymRequest(blinded: pending.map { CitizenPseudonym.hex($0.request) })
        let body = try WireJSON.encoder.encode(request)
        let answer = compress
            ? try await transport.send("POST", url, token: token, body: Data(try WireCompression.gzip.compress(body)), type: nil,
                                       encoding: WireCompression.gzip.rawValue)
            : try await transport.send("POST", url, token: token, body: body)
        // 429: the laptop's allowance for today is used; 503: no key loaded; 404: a hub of protocol 2.
        if [404, 429, 503].contains(answer.status) { return PseudonymChunk() }
        let response = try decode(PseudonymResponse.self, answer)
        guard response.evaluations.count <= work.count, let publicKey = CitizenPseudonym.bytes(hex: response.key.publicKey) else {
            throw SyncError.unexpectedAnswer(status: answer.status, "the hub's pseudonym answer does not match the request")
        }
        var chunk = PseudonymChunk(key: response.key, complete: response.evaluations.count == work.count)
        for (index, text) in response.evaluations.enumerated() {
            guard let evaluation = CitizenPseudonym.bytes(hex: text) else { throw SyncError.pseudonym(.badEvaluation) }
            do {
                chunk.results.append((work[index], try CitizenPseudonym.finalize(pending[index], evaluation: evaluation, hubPublicKey: publicKey)))
            } catch {
                throw SyncError.pseudonym(error)
            }
        }
        return chunk
    }

    /// Pushes every visit written here that the hub has not acknowledged, in batches; the checkpoint
    /// moves after each answer, in order. Always sends at least one (maybe empty) batch, which reports
    /// the backlog and the time of this sync to the hub. Bodies go gzip-compressed and in the compact
    /// form once the hub said it takes them (§6.1, §6.3). While the hub merges a batch, the next ones are
    /// already on their way (`pushesInFlight`); a batch sent when none is on its way names the pull cursor and
    /// its answer's page is applied (§6.2). The pages of this `session` pass its own states.
    /// - Returns: whether the pull is complete (the last answer carried the last page).
    @discardableResult
    public func push(_ store: FieldStore, into summary: inout SyncSummary, session: String = SyncClient.newSession(),
                     progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws -> Bool {
        let (base, enrollment) = try Self.hub(of: store)
        let url = base.appendingPathComponent("v1/push")
        var recovered = false
        var backlog = try store.unsyncedCount()
        var mine = try store.ownReplicas()
        var compress = transport.compressesBodies
        var encodings = try store.hubEncodings()
        var inFlight: [InFlightBatch] = []
        var restarted = false
        defer { for batch in inFlight { batch.answer.cancel() } }

        func send(_ pending: PendingPush) throws {
            let first = inFlight.isEmpty
            // A batch sent behind another names no cursor: its page would overlap the other's.
            let request = pending.request(pullAfter: transport.compressesBodies && first ? try store.pullCursor() : nil,
                                          sync: transport.compressesBodies ? session : nil)
            let compact = compress && encodings.contains(CompactStates.token)
            let gzip = compress && encodings.contains(WireCompression.gzip.rawValue)
            let transport = self.transport, token = enrollment.token
            // Encoding, sending and reading the answer happen off this task, while it prepares the next batch.
            let exchange = Task { () async throws -> PushExchange in
                var body = request.encoded(compact: compact)
                var encoding: String?
                if gzip, body.count >= WireCompression.threshold {
                    body = try WireCompression.gzip.compress(body)
                    encoding = WireCompression.gzip.rawValue
                }
                let answer = try await transport.send("POST", url, token: token, body: Data(body), type: compact ? CompactStates.mediaType : nil,
                                                      encoding: encoding)
                var response: Result<PushResponse, SyncError>?
                if answer.status == 200 {
                    do {
                        response = .success(try PushResponse.decode(Array(answer.body)))
                    } catch {
                        response = .failure(.unexpectedAnswer(status: answer.status, "\(error)"))
                    }
                }
                return PushExchange(answer: answer, bytes: body.count, compressed: encoding != nil, response: response)
            }
            inFlight.append(InFlightBatch(pending: pending, answer: exchange))
        }
        /// Drops the answers of the batches still on their way: they go again from the checkpoint.
        func drain() async {
            // Losing these errors is safe: nothing of these answers is applied, and their batches are sent again.
            for batch in inFlight { _ = try? await batch.answer.value }
            inFlight = []
        }

        try send(try store.pendingPush(backlog: backlog))
        while let batch = inFlight.first {
            while inFlight.count < Self.pushesInFlight, let last = inFlight.last, last.pending.remaining > WireLimits.maxPushRecords,
                  transport.compressesBodies {
                // More than one batch to go after the last one sent: the next goes now; the last one waits to carry the pull.
                let next = try store.pendingPush(backlog: last.pending.remaining, after: last.pending.lastWrite)
                guard !next.states.isEmpty else { break }
                try send(next)
            }
            let exchange = try await batch.answer.value
            let answer = exchange.answer
            inFlight.removeFirst()
            summary.bytesSent += exchange.bytes
            summary.bytesReceived += answer.wireBytes
            if exchange.compressed, answer.status == 400 || answer.status == 415 {
                // The hub no longer takes compressed bodies (another version behind the same address): plain from now on.
                compress = false
                encodings = []
                try store.noteHubEncodings([])
                await drain()
                try send(try store.pendingPush(backlog: backlog))
                continue
            }
            if answer.acceptsEncodings != encodings {
                encodings = answer.acceptsEncodings
                try store.noteHubEncodings(encodings)
            }
            if let kinds = answer.kinds { try store.noteKindsAnnounced(kinds) }
            if answer.status == 409 || answer.status == 422, !recovered {
                recovered = true
                await drain()
                summary.reidentified = try await recover(store, answer, hub: base, token: enrollment.token)
                mine = try store.ownReplicas()
                backlog = try store.unsyncedCount()
                try send(try store.pendingPush(backlog: backlog))
                continue
            }
            try Self.check(answer)
            guard let decoded = exchange.response else { throw SyncError.unexpectedAnswer(status: answer.status, "no push answer") }
            let response = try decoded.get()
            try store.acknowledge(batch.pending, response: response)
            if let highWater = response.highWater, batch.pending.replica == store.profile.replicaID, highWater > (try store.replicaSeq()),
               !recovered {
                // The hub has seen more writes from this replica than the store holds: it was restored from an older
                // copy. It takes a new replica id now, before the volunteer writes again (§1).
                recovered = true
                await drain()
                summary.reidentified = try await restored(store, hub: base, token: enrollment.token,
                                                          detail: "the hub has seen change \(highWater) from this laptop")
                mine = try store.ownReplicas()
                backlog = try store.unsyncedCount()
                try send(try store.pendingPush(backlog: backlog))
                continue
            }
            if let certificate = response.certificate { try store.notePeerCredentials(certificate, revoked: response.revoked ?? []) }
            backlog = batch.pending.remaining
            if try store.noteHubIncarnation(response.hubIncarnation) {
                // The hub was restored from a backup: everything this laptop wrote goes again.
                summary.hubRestored = true
                await drain()
                backlog = try store.unsyncedCount()
            }
            summary.batches += 1
            summary.pseudonymKeyVersion = response.pseudonymKeyVersion
            summary.pushed += batch.pending.states.count
            summary.alreadyKnown += response.alreadyKnown
            summary.fastForward += response.fastForward
            summary.merged += response.merged
            summary.conflicts += response.conflicts
            summary.editVsDelete += response.editVsDelete
            summary.rejected += response.rejected.map { SyncSummary.Rejected(id: $0.id, code: $0.code, message: $0.message) }
            try summary.tell(response.conflictEntries ?? [], mine: mine, store, catalogue)
            progress?(SyncProgress(.push, summary, toPush: backlog))
            if let page = response.pull, try apply(page, to: store, into: &summary, mine: mine) { restarted = true }
            guard inFlight.isEmpty else { continue }
            if backlog == 0 { return restarted ? false : response.pull.map { !$0.more } ?? false }
            try send(try store.pendingPush(backlog: backlog))
        }
        return false
    }

    /// Push batches on their way at once: one merging at the hub, one read by it, one being answered.
    static let pushesInFlight = 3

    /// A push batch on its way: what it carries, and its exchange to come.
    struct InFlightBatch {
        let pending: PendingPush
        let answer: Task<PushExchange, any Error>
    }

    /// One push request and its answer: the body's size on the wire, whether it was compressed, and the
    /// answer read (for a 200).
    struct PushExchange: Sendable {
        let answer: HTTPAnswer
        let bytes: Int
        let compressed: Bool
        let response: Result<PushResponse, SyncError>?
    }

    /// A random sync session id (§6.2).
    public static func newSession() -> String {
        "s-" + (0..<2).map { _ in String(UInt64.random(in: 0...UInt64.max), radix: 16) }.joined(separator: "-")
    }

    /// Applies a pull page and counts what it changed.
    /// - Returns: whether the pull starts over (the page named other villages: §7.3).
    @discardableResult
    func apply(_ page: PullPage, to store: FieldStore, into summary: inout SyncSummary, mine: Set<ReplicaID>) throws -> Bool {
        let merged = try store.apply(page)
        summary.pages += 1
        // Only what changed this store: states it already held (its own just pushed) are not news.
        summary.pulled += merged.fastForward + merged.merged + merged.conflicts + merged.editVsDelete
        summary.pullConflicts += merged.conflicts + merged.editVsDelete
        summary.compacted += merged.forgotten
        try summary.tell(merged.found + merged.heard, mine: mine, store, catalogue)
        return merged.restartPull
    }

    /// Pulls every page changed at the hub since the stored cursor; each page and its cursor are
    /// applied in one transaction, while the next page is on its way.
    public func pull(_ store: FieldStore, into summary: inout SyncSummary, session: String? = nil,
                     progress: (@Sendable (SyncProgress) -> Void)? = nil) async throws {
        let (base, enrollment) = try Self.hub(of: store)
        let mine = try store.ownReplicas()
        let transport = self.transport
        func fetch(after cursor: UInt64) throws -> Task<(page: PullPage, wireBytes: Int, kinds: Int?), any Error> {
            var url = URLComponents(url: base.appendingPathComponent("v1/pull"), resolvingAgainstBaseURL: false)
            url?.queryItems = [URLQueryItem(name: "after", value: "\(cursor)"), URLQueryItem(name: "limit", value: "\(WireLimits.defaultPullLimit)")]
                + (session.map { [URLQueryItem(name: "sync", value: $0)] } ?? [])
            guard let pullURL = url?.url else { throw SyncError.badServerURL(enrollment.server) }
            // Sending and reading the page happen off this task, while it applies the one before.
            return Task {
                let answer = try await transport.send("GET", pullURL, token: enrollment.token, body: nil)
                try Self.check(answer)
                do {
                    return (page: try PullPage.decode(Array(answer.body)), wireBytes: answer.wireBytes, kinds: answer.kinds)
                } catch {
                    throw SyncError.unexpectedAnswer(status: answer.status, "\(error)")
                }
            }
        }
        var next = try fetch(after: try store.pullCursor())
        defer { next.cancel() }
        while true {
            let (page, wireBytes, kinds) = try await next.value
            summary.bytesReceived += wireBytes
            if let kinds { try store.noteKindsAnnounced(kinds) }
            // The next page comes while this one is applied; the store's cursor moves with each page applied.
            if page.more { next = try fetch(after: page.cursor) }
            if try apply(page, to: store, into: &summary, mine: mine) {
                // Other villages: what is no longer covered went, and the new ones come whole, from the start.
                next.cancel()
                next = try fetch(after: try store.pullCursor())
                continue
            }
            progress?(SyncProgress(.pull, summary))
            if !page.more { return }
        }
    }

    static func hub(of store: FieldStore) throws -> (URL, Enrollment) {
        guard let enrollment = try store.enrollment() else { throw SyncError.notEnrolled }
        return (try baseURL(enrollment.server, allowInsecure: enrollment.insecureHTTP), enrollment)
    }

    /// Handles a push refused by the restored-laptop (409) or future-clock (422) rule.
    func recover(_ store: FieldStore, _ answer: HTTPAnswer, hub: URL, token: String) async throws -> String {
        // Losing this error is safe: the message is only explanatory text; the status code decides what happens.
        let message = (try? WireJSON.decode(ErrorBody.self, from: answer.body))?.error.message ?? ""
        if answer.status == 409 { return try await restored(store, hub: hub, token: token, detail: message) }
        let hubTime = answer.date ?? Date()
        let ahead = Date().timeIntervalSince(hubTime)
        guard ahead < 300 else { throw SyncError.clockWrong(aheadSeconds: Int(ahead)) }
        let id = try store.reidentify(reason: "clock ahead: \(message)", clockRanAhead: true)
        return "some visits were stamped with a clock that ran ahead; they were re-stamped with the correct time as replica \(id)"
    }

    /// Re-identifies a store the hub found restored from an older copy (§1): it asks the hub which of its
    /// unacknowledged writes it holds (§1.1) and writes again, under a new replica id, only the others.
    func restored(_ store: FieldStore, hub: URL, token: String, detail: String) async throws -> String {
        let held = try await heldWrites(store, hub: hub, token: token)
        let id = try store.reidentify(reason: "restored: \(detail)", held: held)
        return "the hub saw newer changes from this laptop than the store holds (it was restored from an older copy "
            + "or copied from another laptop); it now writes as replica \(id), and nothing was lost"
    }

    /// The store's unacknowledged writes of its current replica that the hub holds as the store has them;
    /// nil when the hub does not answer the question (a hub before it, 404): then every one goes again.
    func heldWrites(_ store: FieldStore, hub: URL, token: String) async throws -> Set<UInt64>? {
        let question = try store.restoredWrites()
        var held: Set<UInt64> = []
        for start in stride(from: 0, to: question.writes.count, by: HeldWritesRequest.maxWrites) {
            let part = HeldWritesRequest(replica: question.replica,
                                         writes: Array(question.writes[start..<min(question.writes.count, start + HeldWritesRequest.maxWrites)]))
            let answer = try await transport.send("POST", hub.appendingPathComponent("v1/held"), token: token,
                                                  body: try WireJSON.encoder.encode(part))
            if answer.status == 404 { return nil }
            held.formUnion(try Self.decode(HeldWritesResponse.self, answer).held)
        }
        return held
    }

    /// What an entry did to this laptop's own writes, in words, naming only this laptop's own values;
    /// nil when none of them lost to another laptop's.
    /// - Parameter mine: the replica ids this laptop wrote as.
    public static func describe(_ conflict: Conflict, mine: Set<ReplicaID>, _ store: FieldStore, _ t: Catalogue) throws -> String? {
        func isMine(_ register: Register?) -> Bool { register.map { mine.contains($0.stamp.replica) } ?? false }
        // A value this laptop wrote before it was restored that lost to one it wrote after is not news "from another laptop".
        let losses = conflict.losses(of: mine).filter { conflict.kind == .editVsDelete || !isMine($0.kept) }
        guard !losses.isEmpty else { return nil }
        let visit = try store.visit(exactly: conflict.record)
        let who = visit.map { "\($0.visit.citizenName), \(t.service($0.visit.service.rawValue))" } ?? t["sync.a_visit"]
        func value(_ register: Register?, _ field: String) -> String { "«" + t.value(register?.value, of: field) + "»" }
        let id = String(conflict.record.suffix(8))
        if conflict.kind == .editVsDelete {
            // The volunteer's own edit: the editing side's register, whichever won.
            let edits = losses.map { "\(t.field($0.field)) \(value(conflict.edit($0), $0.field))" }.joined(separator: ", ")
            let staysDeleted = conflict.fields.first { $0.field == RecordState.deletedField }?.kept?.value.bool ?? true
            return t.format(staysDeleted ? "sync.edit_met_delete_stays" : "sync.edit_met_delete_restored", id, who, edits)
        }
        let fields = losses.map { f in t.format("sync.field_kept_over_yours", t.field(f.field), value(f.kept, f.field), value(f.lost, f.field)) }
        return t.format("sync.changed_elsewhere", id, who, fields.joined(separator: "; "))
    }

    /// The hub's base URL: `https://`, or `http://` to this machine only unless `allowInsecure`.
    static func baseURL(_ text: String, allowInsecure: Bool) throws -> URL {
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text),
              let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https", let host = url.host
        else { throw SyncError.badServerURL(text) }
        if scheme == "http", !allowInsecure, !isLoopback(host) { throw SyncError.insecureHTTP(host: host) }
        return url
    }

    /// Whether a host name is this machine (plain HTTP to it never crosses a network).
    static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        return host == "localhost" || host == "::1" || (host.hasPrefix("127.") && host.split(separator: ".").count == 4
            && host.split(separator: ".").allSatisfy { UInt8($0) != nil })
    }

    /// Throws the hub's error for a non-2xx answer.
    static func check(_ answer: HTTPAnswer) throws {
        guard (200..<300).contains(answer.status) else {
            // Losing this error is safe: a body that is not an error document is reported raw just below.
            if let body = try? WireJSON.decode(ErrorBody.self, from: answer.body) { throw SyncError.hub(status: answer.status, body) }
            throw SyncError.unexpectedAnswer(status: answer.status, String(decoding: answer.body.prefix(200), as: UTF8.self))
        }
    }

    static func decode<T: Decodable>(_ type: T.Type, _ answer: HTTPAnswer) throws -> T {
        try check(answer)
        do {
            return try WireJSON.decode(type, from: answer.body)
        } catch {
            throw SyncError.unexpectedAnswer(status: answer.status, error.description)
        }
    }
}

extension SyncSummary {
    /// Adds what these entries did to this laptop's own writes, each message once however often its
    /// entry arrives (a push answer, then the pull page that brings it back).
    mutating func tell(_ conflicts: [Conflict], mine: Set<ReplicaID>, _ store: FieldStore, _ t: Catalogue) throws {
        for conflict in conflicts {
            guard let message = try SyncClient.describe(conflict, mine: mine, store, t), !myConflicts.contains(message) else { continue }
            myConflicts.append(message)
        }
    }
}
