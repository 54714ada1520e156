import FieldModel
import Foundation
import SyncCore
import SyncProtocol

extension HubEngine {
    /// Erases a citizen's data from these visits (Protocol/README.md §4.3): a hub write of `erased` to each (a normal
    /// write: it replicates, and erasure dominates whatever is written alongside or after), their conflict entries'
    /// values blanked, their quarantined payloads emptied, in one transaction that leaves none of the old bytes in the
    /// store's files. The visits stay (service, outcome, commune, date, pseudonym): progress does not change.
    /// - Throws: `HubError.notFound` for an unknown id; nothing is erased then.
    public func erase(_ ids: [String]) async throws -> ErasureCounts {
        let now = clock.now()
        return try await transaction(erasingFrom: ["records", "conflicts", "quarantine"]) { session in
            try await session.lock(records: Array(Set(ids)).sorted())
            var counts = ErasureCounts()
            for id in ids {
                guard let stored = try await storedVisit(id, in: session) else { throw HubError.notFound("no visit \(id) at the hub") }
                if !stored.visit.erased {
                    _ = try await hubWrite([VisitField.erased.rawValue: .bool(true)], to: stored, now: now, validating: false, in: session)
                    counts.visits += 1
                }
                for entry in try await session.query("SELECT id, body, resolution FROM conflicts WHERE record = ?", [.text(id)]) {
                    let entryID = try entry.text("id") ?? ""
                    let conflict = try Self.conflict(id: entryID, body: try entry.text("body") ?? "")
                    let resolved = try entry.text("resolution").map {
                        try JSONDecoder().decode(ConflictResolution.self, from: Data($0.utf8)).erasingPersonal()
                    }
                    try await session.execute("UPDATE conflicts SET body = ?, resolution = ? WHERE id = ?",
                                              [.text(Hub.json(conflict.erasingPersonal())), .text(resolved.map(Hub.json)), .text(entryID)])
                    counts.conflicts += 1
                }
                counts.quarantined += try await session.query("UPDATE quarantine SET payload = '' WHERE record = ? AND payload <> '' RETURNING id",
                                                              [.text(id)]).count
            }
            return counts
        }
    }

    /// Empties the quarantined payloads of these records, leaving none of their bytes in the store's files.
    /// - Returns: how many payloads were emptied.
    public func eraseQuarantined(records: [String]) async throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try await transaction(erasingFrom: ["quarantine"]) { session in
            try await session.query("UPDATE quarantine SET payload = '' WHERE \(session.dialect.isIn("record")) AND payload <> '' RETURNING id",
                                    [.texts(records)]).count
        }
    }

    /// Settles a duplicate inside a scope: `duplicate` is deleted by a hub write (a note says which visit it duplicated
    /// and who resolved it) that syncs to the laptops like any other write. Either visit may be named by its first or
    /// last 8 or more characters, among the scope's visits only.
    /// - Returns: the whole id of the visit deleted.
    /// - Throws: `HubError.notFound` for an unknown visit, `.invalidRequest` when the two are not the same citizen and service.
    @discardableResult
    public func resolveDuplicate(_ duplicate: String, keeping kept: String, by coordinator: String, scope: Scope) async throws -> String {
        let now = clock.now()
        return try await transaction { session in
            let (dupID, keptID) = (try await visitID(duplicate, scope: scope, in: session), try await visitID(kept, scope: scope, in: session))
            try await session.lock(records: Array(Set([dupID, keptID])).sorted())
            let found = try await storedVisits([dupID, keptID], in: session)
            let changes = try Hub.duplicateChanges(found[dupID]?.visit, found[keptID]?.visit, named: (duplicate, kept), by: coordinator, scope: scope)
            guard let dup = found[dupID] else { throw HubError.notFound("no visit \(duplicate) at the hub") }
            _ = try await hubWrite(changes, to: dup, now: now, validating: false, in: session)
            return dupID
        }
    }
}
