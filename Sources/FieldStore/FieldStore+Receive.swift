#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import RecordKinds
import SQLiteKit
import SyncCore

/// What receiving remote states did to the store.
public struct ReceiveSummary: Sendable, Equatable {
    /// States whose vector this store had already seen.
    public var alreadyKnown = 0
    /// States that were strictly newer.
    public var fastForward = 0
    /// Concurrent states whose writes touched different fields (combined, nothing logged).
    public var merged = 0
    /// States with at least one field written concurrently on both sides (conflict logged).
    public var conflicts = 0
    /// States where one side deleted the visit and the other edited it (logged, visit stays deleted).
    public var editVsDelete = 0
    /// The conflict and edit-vs-delete entries found (also in the local log).
    public var found: [Conflict] = []
    /// States that could not be read as visits (left out, local state kept).
    public var invalid: [String] = []
    /// Entries the hub sent about this laptop's losing writes, new to this store.
    public var heard: [Conflict] = []
    /// Deleted visits removed because the hub compacted them (Protocol/README.md §7.2).
    public var forgotten = 0
    /// The page named other villages than the last one: what this laptop no longer covers was removed, and the pull
    /// starts over from the beginning (§7.3).
    public var restartPull = false

    /// Counts one state's classification.
    mutating func count(_ classification: Classification) {
        switch classification {
        case .alreadyKnown: alreadyKnown += 1
        case .fastForward: fastForward += 1
        case .merged: merged += 1
        case .conflict: conflicts += 1
        case .editVsDelete: editVsDelete += 1
        }
    }
}

extension FieldStore {
    /// Merges states received from the hub, in one transaction, through SyncCore's `Merge`.
    ///
    /// The clock observes every stamp first (receive rule); each merged visit keeps its raw citizen ID
    /// only while the `cccd` register is still the one this laptop wrote; conflicts go to the local log.
    @discardableResult
    public func receive(_ states: [RecordState], now: Date = Date(), in transaction: (() throws -> Void)? = nil) throws -> ReceiveSummary {
        try write {
            var replica = try loadReplica()
            var summary = ReceiveSummary()
            let millis = epochMillis(now)
            var kinds: [String: RecordKind?] = [:]
            for incoming in states {
                replica.observe(incoming, now: millis)
                if incoming.kind != RecordState.visitKind {
                    if kinds[incoming.kind] == nil { kinds[incoming.kind] = .some(try knownKind(incoming.kind)) }
                    try receiveRecord(incoming, kind: kinds[incoming.kind] ?? nil, now: now, into: &summary)
                    continue
                }
                // An unreadable stored visit fails the whole receive: treating it as absent could
                // overwrite local changes not yet pushed.
                let current = try storedVisit(id: incoming.id)
                let outcome = Merge.receive(incoming, into: current?.state, detectedBy: profile.replicaID,
                                            groups: VisitField.groupNames)
                summary.count(outcome.classification)
                let erased = outcome.merged[VisitField.erased.rawValue] != nil
                if let found = outcome.conflict {
                    let conflict = erased ? found.erasingPersonal() : found
                    try logConflict(conflict, now: now)
                    summary.found.append(conflict)
                }
                if outcome.merged == current?.state { continue }
                // Losing this error is safe: a merged state that is not a valid visit is kept out and listed in `invalid`, never hidden.
                // Fields and options this laptop has not received yet are kept as they came (the hub checked them).
                guard let visit = try? Visit(state: outcome.merged, catalogue: catalogue) else {
                    summary.invalid.append(incoming.id)
                    continue
                }
                let keepsRaw = !visit.erased
                    && current?.state[VisitField.cccd.rawValue]?.write == outcome.merged[VisitField.cccd.rawValue]?.write
                try db.run(VisitRow.mergeSQL, try VisitRow.values(visit, raw: keepsRaw ? current?.rawCitizenID : nil,
                                                                  state: outcome.merged, localWrite: 0, sealer: sealer))
                // The citizen's data was erased: this laptop's copies go too (secure_delete overwrites them).
                if visit.erased { try purge(record: visit.id) }
            }
            try saveReplica(replica)
            try transaction?()
            return summary
        }
    }

    /// Merges a received record of another kind (§12), by its kind's groups, into `kind_records`.
    private func receiveRecord(_ incoming: RecordState, kind: RecordKind?, now: Date, into summary: inout ReceiveSummary) throws {
        let current = try storedRecord(id: incoming.id)
        let outcome = Merge.receive(incoming, into: current, detectedBy: profile.replicaID, groups: kind?.groups ?? [])
        summary.count(outcome.classification)
        if let found = outcome.conflict {
            try logConflict(found, now: now)
            summary.found.append(found)
        }
        if outcome.merged != current { try saveRecord(outcome.merged, kind: kind, ownSeq: nil) }
    }

    /// Every replica id this store has written as: its own, and those it retired.
    public func ownReplicas() throws -> Set<ReplicaID> {
        try read {
            let retired = try db.query("SELECT replica_id FROM retired_replicas") { ReplicaID($0.text(0) ?? "") }
            return Set(retired.compactMap { $0 }).union([profile.replicaID])
        }
    }

    /// The visit with exactly this id, or nil (no prefix matching).
    public func visit(exactly id: String) throws -> StoredVisit? {
        try read { try storedVisit(id: id) }
    }

    /// The visit with exactly this id, or nil (inside a transaction).
    func storedVisit(id: String) throws -> StoredVisit? {
        try db.query("SELECT \(VisitRow.columns) FROM visits WHERE id = ?", [.text(id)], row: decodeVisit).first
    }

    /// Removes what this store keeps about an erased visit besides its row: conflict entries and refusals.
    func purge(record: String) throws {
        try db.run("DELETE FROM conflicts WHERE record = ?", [.text(record)])
        try db.run("DELETE FROM rejections WHERE record = ?", [.text(record)])
    }

    /// Records a conflict once (its id is the same wherever it is found).
    /// - Parameter pushed: the entry came from the hub, so it is not sent back.
    func logConflict(_ conflict: Conflict, now: Date, pushed: Bool = false) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let body = try sealText(String(decoding: try encoder.encode(conflict), as: UTF8.self), row: conflict.id)
        try db.run("INSERT OR IGNORE INTO conflicts (id, record, body, detected_at, pushed) VALUES (?, ?, ?, ?, ?)",
                   [.text(conflict.id), .text(conflict.record), .text(body), .text(ISODate.format(now)), .bool(pushed)])
    }

    /// The conflicts this store's merges found, oldest first.
    public func conflicts() throws -> [Conflict] {
        try read {
            try db.query("SELECT id, body FROM conflicts ORDER BY detected_at, id") { row in
                try JSONDecoder().decode(Conflict.self, from: Data(try openText(row.text(1) ?? "", row: row.text(0) ?? "").utf8))
            }
        }
    }
}
