import FieldModel
import Foundation
import RecordKinds
import SyncCore
import SyncProtocol

/// The sync protocol's side of a store (Protocol/README.md §6–7): pushes, held writes, pulls, compaction.
public protocol HubSyncStorage: Sendable {
    /// Merges a device's push (Protocol/README.md §6).
    func push(_ request: PushRequest, from device: Device) async throws -> PushResponse
    /// Which of a device's writes of one of its replicas the hub holds as the device has them (§1.1).
    func heldWrites(_ request: HeldWritesRequest, from device: Device) async throws -> HeldWritesResponse
    /// The states in the device's scope changed after the cursor, in change order (Protocol/README.md §7),
    /// and the ids compacted after it; at the last page, with `checkpoint`, notes `after` as the device's
    /// checkpoint for the tombstone horizon.
    /// - Parameter session: the device's sync session, whose own pushed states the page passes without sending (§6.2).
    func pull(after: UInt64, limit: Int, for device: Device, session: String?, checkpoint: Bool) async throws -> PullPage
    /// Compacts deleted visits below the tombstone horizon (Protocol/README.md §7.2); with `dryRun`, only tells.
    func compact(grace: TimeInterval, dryRun: Bool, now: Date) async throws -> Compaction
    /// The store's incarnation, which push answers carry (empty before the first).
    func incarnation() async throws -> String
    /// Takes a new incarnation: every laptop sends everything again at its next push (after restoring a backup).
    func takeNewIncarnation() async throws -> String
}

/// Record kinds as data (Protocol/README.md §12): every version the hub knows, and publishing a new one.
public protocol HubKindStorage: Sendable {
    /// Every version of every kind: the built-in first versions and each one published, by kind and version.
    func kinds() async throws -> [PublishedKind]
    /// Publishes a kind's next version (or a new kind's first) after checking it follows the latest one.
    /// - Throws: `HubError.invalidRequest` with the refusal's code and reason.
    func publishKind(_ kind: RecordKind, by publisher: String) async throws -> PublishedKind
    /// How many kind versions have been published (sync answers announce it).
    func publishedKindCount() async throws -> Int
    /// The records of one kind other than the visit in a scope, newest first, deleted ones left out.
    func kindRecords(_ kind: String, scope: Scope, since: String?, until: String?, limit: Int) async throws -> [KindRecord]
    /// The records of one kind in a scope (and period, on its time), counted by commune and option, with their amounts summed.
    func kindTotals(_ kind: String, scope: Scope, since: String?, until: String?) async throws -> [KindTotal]
}

/// Villages and residential groups of communes, and the teams that cover them (issue 31).
public protocol HubVillageStorage: Sendable {
    /// The villages of the communes inside a scope, by commune and name.
    func villages(in scope: Scope) async throws -> [Village]
    /// Adds a village, or updates the one with the same code (else name without diacritics); audited.
    func saveVillage(_ village: Village, scope: Scope, by actor: String) async throws -> Village
    /// The village of a commune a person names (its code, or its name without diacritics).
    func village(named text: String, commune: String, scope: Scope) async throws -> Village
    /// Removes a village; audited.
    func removeVillage(_ village: Village, scope: Scope, by actor: String) async throws
    /// Imports a commune's household list (a preview unless `apply`; nothing written while a line is wrong); audited.
    func importHouseholds(_ list: HouseholdList, commune: String, scope: Scope, by actor: String, apply: Bool) async throws -> HouseholdImport
    /// Deletes a household, or erases its personal fields; the hub's own write, audited.
    func removeHousehold(_ id: String, erase: Bool, scope: Scope, by actor: String) async throws -> RecordState
    /// The households of a scope (one village of it when given).
    func households(in scope: Scope, village: String?) async throws -> [RecordState]
    /// The coverage of every village of a scope, and of its visits of no household (village "").
    func coverageLines(in scope: Scope, now: Date) async throws -> [CoverageLine]
    /// What changed last in each commune of a scope with a household or a visit (`CoverageCache`).
    func coverageStamps(in scope: Scope) async throws -> [String: String]
    /// The follow-ups of a scope past their day, by team, oldest first.
    func overdueFollowUps(in scope: Scope, now: Date, limit: Int) async throws -> [OverdueFollowUp]
}

/// Enrolment and devices: codes, tokens, revocation, client versions, bundle keys.
public protocol HubDeviceStorage: Sendable {
    /// Issues a one-time enrolment code for a role and scope, valid for `validFor` seconds.
    func createEnrollmentCode(role: Role, scope: Scope, validFor: TimeInterval) async throws -> String
    /// Trades a one-time code for a device token, once, however many hub processes are asked at the same time.
    func enroll(_ request: EnrollRequest) async throws -> EnrollResponse
    /// The device a bearer token belongs to (`HubError.unauthorized` for an unknown or revoked one).
    func authenticate(token: String) async throws -> Device
    /// Notes the FieldSync version a device's requests name, and since when, when it changed (§8.2).
    func noteClientVersion(device: String, version: String) async throws
    /// Every enrolled device, in enrolment order.
    func devices() async throws -> [Device]
    /// A device's bundle keys as it gave them at enrolment (public halves, §9); nil for an unknown device.
    func bundleKey(device: String) async throws -> String?
    /// When the batch `batch` of `device` was received, if it was (an offline bundle imported again, §9).
    func batchReceived(device: String, batch: String) async throws -> String?
    /// Revokes a device's token (`HubError.notFound` for an unknown device).
    func revoke(device: String) async throws
}

/// Reports and the console's pages: merge, progress, daily trends, devices, duplicates, visits, targets.
public protocol HubReportStorage: Sendable {
    /// The merge report for a filter, from one snapshot.
    func mergeReport(_ filter: ReportFilter) async throws -> MergeReport
    /// The progress report for a filter, from one snapshot.
    func progressReport(_ filter: ReportFilter, targets: Targets?) async throws -> ProgressReport
    /// The progress report without distinct citizens (0 everywhere) when `citizens` is false: what a
    /// period costs on a big hub is counting them from the visits, the rest comes from aggregates.
    func progressReport(_ filter: ReportFilter, targets: Targets?, citizens: Bool) async throws -> ProgressReport
    /// The progress report's counts, from the engine's own tables (the review counts are added by `progressReport`).
    func progressCounts(_ filter: ReportFilter, targets: Targets?, citizens: Bool) async throws -> ProgressReport
    /// Visits per Vietnam day (`2026-11-25`) and outcome inside the filter's place and period, for trends.
    func dailyOutcomes(_ filter: ReportFilter) async throws -> [String: [String: Int]]
    /// The devices report for a filter, from one snapshot.
    func devicesReport(_ filter: ReportFilter, staleDays: Int, now: Date) async throws -> DevicesReport
    /// The duplicates report for a filter, from one snapshot.
    func duplicatesReport(_ filter: ReportFilter) async throws -> DuplicatesReport
    /// A page of visits, newest changes first (the console's visit table).
    func visits(_ query: VisitQuery) async throws -> VisitPage
    /// One visit inside a scope, with each field's last writer and its conflict entries (`HubError.notFound` outside it).
    func visit(_ id: String, scope: Scope) async throws -> VisitDetail
    /// The stored targets of the communes inside a scope (empty when none were uploaded).
    func targets(_ scope: Scope) async throws -> Targets
    /// Replaces the stored targets of every commune inside a scope with `targets`
    /// (`HubError.outOfScope` when one of them lies outside it).
    func replaceTargets(_ targets: Targets, scope: Scope) async throws
}

/// Conflict entries and duplicates: list, show, resolve.
public protocol HubResolutionStorage: Sendable {
    /// The conflict entries found in a period inside a scope, oldest first.
    func conflicts(status: ConflictStatus, since: String?, until: String?, scope: Scope) async throws -> [MergeReport.ConflictLine]
    /// One conflict entry inside a scope, with the visit's current values.
    func conflict(_ id: String, scope: Scope) async throws -> MergeReport.ConflictLine
    /// The data-quality flags of a scope's visits in a period (issue 33): reasons to look, each with its rule and figures.
    func qualityFlags(scope: Scope, since: String?, until: String?, rules: QualityRules) async throws -> [QualityFlag]
    /// Accepts, returns for correction or rejects a visit or a record of another kind inside a scope: the hub's own write
    /// of the review group, synced back to the laptop; audited (issue 33).
    func review(_ id: String, _ decision: ReviewDecision, scope: Scope, by reviewer: String) async throws -> RecordState
    /// Resolves a conflict entry (Protocol/README.md §5.4); the entry, and whether it had been resolved before.
    func resolveConflict(_ id: String, choice: ConflictChoice, by resolver: String, device: String?,
                         scope: Scope) async throws -> (line: MergeReport.ConflictLine, alreadyResolved: Bool)
    /// Settles a duplicate inside a scope: `duplicate` (a whole visit id) is deleted by a hub write that
    /// names the visit kept (`HubError.notFound` outside the scope, `.invalidRequest` for two different citizens).
    /// Either may be named by its first or last 8 or more characters; returns the whole id of the visit deleted.
    @discardableResult
    func resolveDuplicate(_ duplicate: String, keeping kept: String, by coordinator: String, scope: Scope) async throws -> String
}

/// Data-subject requests and the audit log: erasure, quarantined payloads, audit lines.
public protocol HubSubjectStorage: Sendable {
    /// Erases a citizen's data from these visits (whole ids): erasure writes, conflict values blanked,
    /// quarantined payloads emptied, in one transaction (`HubError.notFound` for an unknown id).
    func erase(_ ids: [String]) async throws -> ErasureCounts
    /// The quarantined payloads about one citizen, records the hub never stored included, oldest first (§4.3).
    func quarantined(matching: QuarantineMatch) async throws -> [MergeReport.QuarantineLine]
    /// Empties the quarantined payloads of these records, leaving none of their bytes in the store's files.
    func eraseQuarantined(records: [String]) async throws -> Int
    /// The quarantined payloads (whole, open or resolved) of these visits, oldest first.
    func quarantined(records: [String]) async throws -> [MergeReport.QuarantineLine]
    /// Appends lines to the audit log (a push's line is appended by `push` itself, in its transaction).
    func appendAudit(_ drafts: [AuditDraft]) async throws
    /// Up to `limit` audit lines after `seq`, in order, with the head the store keeps.
    func auditEntries(after seq: Int64, limit: Int) async throws -> AuditPage
}

/// Keys and sessions: console sessions and logins, the pseudonym key in use and the daily allowances.
public protocol HubSessionStorage: Sendable {
    /// A console session's value (JSON) and expiry by the hash of its id; nil when missing or expired.
    func consoleSession(_ keyHash: String, now: Date) async throws -> (value: String, expiresAt: Date?)?
    /// Creates or replaces a console session; a nil `expiresAt` keeps the one it had. Drops expired sessions.
    func saveConsoleSession(_ keyHash: String, value: String, expiresAt: Date?, now: Date) async throws
    /// Removes a console session.
    func removeConsoleSession(_ keyHash: String) async throws
    /// Gives a coordinator's device a console sign-in: a unique login and a slow hash of its passphrase
    /// (`HubError.invalidRequest` when another device has that login).
    func setConsoleLogin(device: String, login: String, passphraseHash: String) async throws
    /// The device that signs in to the console with a login, and its passphrase hash; nil for an unknown login.
    func consoleLogin(_ login: String) async throws -> ConsoleLogin?
    /// The pseudonym key in use (version and public half; the private half is in the key file only), nil before the first.
    func pseudonymKeyInUse() async throws -> PseudonymKey?
    /// Records the pseudonym key in use (a key file made or rotated).
    func setPseudonymKeyInUse(_ key: PseudonymKey) async throws
    /// Takes up to `wanted` pseudonym evaluations from a device's allowance for a Vietnam day
    /// (`2026-11-25`): how many were granted, how many remain; shared by every hub process.
    func takePseudonyms(device: String, day: String, wanted: Int, allowance: Int) async throws -> (granted: Int, remaining: Int)
}

/// What the hub's HTTP layer and its commands need of a central store, whatever holds it: SQLite embedded in one hub
/// process (`HubService`) or PostgreSQL shared by several (`PostgresHubStore`). Every method is one transaction, or one
/// read snapshot, and reports domain errors as `HubError`. Code that needs one role takes that role's protocol.
public protocol HubStorage: HubSyncStorage, HubDeviceStorage, HubReportStorage, HubResolutionStorage, HubSubjectStorage,
    HubSessionStorage, HubKindStorage, HubVillageStorage {
    /// The hub's replica id (for hub-authored writes), the same in every process on one store.
    var replicaID: String { get }
    /// The clock every time-dependent operation of the store reads; the HTTP layer reads it too.
    var clock: any HubClock { get }
    /// The schema version of the store, read from it (a health check: fails if the store does not answer).
    func schemaVersion() async throws -> Int
    /// The size in bytes of the store's own files, when it has files this process can measure.
    func storeBytes() -> Int64?
}

extension HubSyncStorage {
    /// A pull that notes the device's checkpoint at its last page.
    public func pull(after: UInt64, limit: Int, for device: Device) async throws -> PullPage {
        try await pull(after: after, limit: limit, for: device, session: nil, checkpoint: true)
    }
}
