import CitizenPseudonym
import FieldModel
import FieldStore
import Foundation
import HubCore
import HubSQLite
import SyncProtocol

/// A real field store enrolled at a hub through the storage contract, syncing without HTTP.
public struct TestLaptop {
    public let store: FieldStore
    public let device: Device
    public let token: String

    /// A laptop enrolled by the caller.
    public init(store: FieldStore, device: Device, token: String) {
        self.store = store
        self.device = device
        self.token = token
    }

    /// A new laptop in `commune`, enrolled with a fresh code at `hub`.
    public static func enrolled(at hub: any HubStorage, in dir: TemporaryDirectory, name: String, commune: String = "00004",
                                team: String = "T-01") async throws -> TestLaptop {
        let store = try FieldStore.create(at: dir.file("\(name)-\(UUID().uuidString.prefix(8)).sqlite"), volunteer: name, team: team,
                                          commune: commune)
        let code = try await hub.createEnrollmentCode(role: .volunteer, scope: Scope(team: team, commune: commune), validFor: 3_600)
        let response = try await hub.enroll(EnrollRequest(code: code, replica: store.profile.replicaID, volunteer: name))
        try store.saveEnrollment(server: "http://127.0.0.1:1", response: response, insecureHTTP: true)
        return TestLaptop(store: store, device: try await hub.authenticate(token: response.token), token: response.token)
    }

    /// The push of everything not yet acknowledged (built here, sent by whoever holds it).
    public func pending() throws -> (PendingPush, PushRequest) {
        let pending = try store.pendingPush()
        return (pending, pending.request())
    }

    /// The pseudonym key of every test hub that syncs without HTTP (the HTTP tests use the hub's own).
    public static let hubKey = CitizenPseudonym.HubKey()

    /// Gives the citizen IDs typed here their pseudonyms under `hubKey`, as a sync's first step would.
    public func takePseudonyms() throws {
        let key = PseudonymKey(version: 1, publicKey: CitizenPseudonym.hex(Self.hubKey.publicKey))
        let work = try store.citizenIDsNeedingPseudonyms(version: 1, limit: 10_000)
        let pending = try CitizenPseudonym.blind(work.map(\.digits))
        let results = try zip(work, pending).map { item, blinded in
            (work: item, pseudonym: try CitizenPseudonym.finalize(blinded, evaluation: try Self.hubKey.evaluate(blinded.request),
                                                                 hubPublicKey: Self.hubKey.publicKey))
        }
        try store.savePseudonyms(results, key: key)
    }

    /// Pushes what is pending through `hub` (citizen IDs given their pseudonyms first) and records the answer.
    @discardableResult
    public func push(via hub: any HubStorage) async throws -> PushResponse {
        try takePseudonyms()
        let (pending, request) = try pending()
        let response = try await hub.push(request, from: device)
        try store.acknowledge(pending, response: response)
        // As `fieldsync sync` does: a hub found restored gets everything again.
        _ = try store.noteHubIncarnation(response.hubIncarnation)
        return response
    }

    /// Pulls every page through `hub` and applies it, again until `until` holds (at most 30 s): on
    /// PostgreSQL a change reaches pulls once every transaction older than it has ended (§7), and
    /// tests running beside this one hold transactions of their own.
    public func pull(via hub: any HubStorage, until done: (FieldStore) throws -> Bool = { _ in true }) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let page = try await hub.pull(after: try store.pullCursor(), limit: 500, for: device)
            _ = try store.apply(page)
            if page.more { continue }
            if try done(store) || ContinuousClock.now > deadline { return }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// A visit logged now.
    @discardableResult
    public func log(_ name: String, service: Service = .vneidLevel2) throws -> String {
        try store.log(VisitDraft(service: service, outcome: .done, citizenName: name)).visit.id
    }
}
