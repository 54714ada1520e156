import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol
import TextSafety

extension HubStore {
    /// The conflict entries found in a period (ISO 8601 bounds, either open) inside `scope`, oldest first.
    public func conflicts(status: ConflictStatus = .all, since: String? = nil, until: String? = nil,
                          scope: Scope = Scope()) throws -> [MergeReport.ConflictLine] {
        try read { try conflictLines(status: status, since: since, until: until, scope: scope) }
    }

    /// One conflict entry inside `scope`, with the visit's current value of each of its fields.
    /// - Throws: `HubError.notFound` for an unknown id or one outside the scope.
    public func conflict(_ id: String, scope: Scope = Scope()) throws -> MergeReport.ConflictLine {
        try read { try conflictLine(id, scope: scope) }
    }

    /// Resolves a conflict entry (Protocol/README.md §5.4). `take` and `set` are one hub write on a
    /// version vector that covers both sides, so it reaches every laptop and conflicts with neither
    /// write it resolves; `keep` writes nothing. Resolving an entry again changes nothing.
    /// - Returns: the entry with its resolution, and whether it had been resolved before.
    /// - Throws: `HubError.notFound`, `.invalidRequest` for a value or field that cannot be set,
    ///   `.unavailable` while the hub does not yet hold both sides.
    @discardableResult
    public func resolveConflict(_ id: String, choice: ConflictChoice, by resolver: String, device: String? = nil,
                                scope: Scope = Scope(), now: Date = Date()) throws -> (line: MergeReport.ConflictLine, alreadyResolved: Bool) {
        try write {
            let line = try conflictLine(id, scope: scope)
            if line.resolution != nil { return (line, true) }
            let conflict = try storedConflict(line.id)
            guard let current = try storedVisit(conflict.record) else {
                guard try !forgottenStates([conflict.record]).isEmpty else {
                    throw HubError.notFound("the hub does not hold visit \(conflict.record) of conflict \(line.id)")
                }
                let resolution = try Hub.resolutionOfCompacted(conflict, choice: choice, by: resolver, device: device, now: now)
                try db.run("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Hub.json(resolution)), .text(line.id)])
                var resolved = line
                resolved.resolution = resolution
                return (resolved, false)
            }
            try Hub.checkBothSides(of: conflict, id: line.id, current: current.state)
            let changes = try Hub.changes(for: choice, of: conflict, current: current.state, catalogue: catalogue)
            var resolved = line
            var hubSeq: UInt64?
            var written: [String: FieldValue]?
            if changes.contains(where: { current.state[$0.key]?.value != $0.value }) {
                let result = try hubWrite(changes, to: current, now: now, validating: true)
                hubSeq = result.hubSeq
                written = changes
                resolved.current = resolved.current.map { values in values.keys.reduce(into: values) { $0[$1] = result.state[$1]?.value ?? .null } }
            }
            let resolution = ConflictResolution(choice: choice.name, values: written, by: resolver, device: device,
                                                at: ISODate.format(now), hubSeq: hubSeq)
            try db.run("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Hub.json(resolution)), .text(line.id)])
            resolved.resolution = resolution
            return (resolved, false)
        }
    }





    /// Writes `changes` to a stored visit as the hub's own write: a new hub seq and a stamp after every
    /// write the hub holds, on the visit's version vector. Returns the new state and hub change number.
    /// - Parameter validating: refuse (with nothing written) a result that breaks a visit rule.
    func hubWrite(_ changes: [String: FieldValue], to current: StoredVisit,
                  now: Date, validating: Bool) throws -> (state: RecordState, hubSeq: UInt64) {
        var hub = try hubClock()
        let (visit, state) = try Hub.hubWrite(changes, to: current.state, recordID: current.visit.id, hub: &hub, now: now,
                                              validating: validating, catalogue: catalogue)
        var aggregates = ReportAggregates()
        aggregates.replace(current.visit, with: visit)
        let hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0) + 1
        try db.run(HubRow.upsertSQL, HubRow.values(visit, state: state, hubSeq: hubSeq, province: Hub.province(of: visit.commune),
                                                   device: "hub", now: ISODate.format(now), sentIn: nil))
        try aggregates.flush(to: db)
        try db.run("UPDATE hub SET hub_seq = ?, seq = ?, clock_ms = ?, clock_counter = ?", [
            .integer(Int64(hubSeq)), .integer(Int64(hub.seq)), .integer(Int64(hub.clock.millis)), .integer(Int64(hub.clock.counter)),
        ])
        return (state, hubSeq)
    }

    /// One entry by id (or its first 8 or more hex digits) inside `scope`, with the current values of its fields.
    func conflictLine(_ id: String, scope: Scope) throws -> MergeReport.ConflictLine {
        let prefix = id.lowercased()
        let notFound = HubError.notFound("no conflict \(SafeText.quote(id)) in this hub's \(scope.text): see `conflicts list`")
        guard (8...32).contains(prefix.utf8.count),
              prefix.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { throw notFound }
        let ids = try db.query("SELECT id FROM conflicts WHERE substr(id, 1, ?1) = ?2 LIMIT 2",
                               [.integer(Int64(prefix.utf8.count)), .text(prefix)]) { $0.text(0) ?? "" }
        guard ids.count < 2 else { throw HubError.invalidRequest("\(prefix) starts more than one conflict id: give more digits") }
        guard let full = ids.first, var line = try conflictLines(status: .all, since: nil, until: nil, scope: scope, id: full).first
        else { throw notFound }
        if let current = try storedVisit(line.record) {
            line.current = Dictionary(uniqueKeysWithValues: line.fields.map { ($0.field, current.state[$0.field]?.value ?? .null) })
        }
        return line
    }

    /// A stored entry as SyncCore reads it.
    func storedConflict(_ id: String) throws -> Conflict {
        let body = try db.query("SELECT body FROM conflicts WHERE id = ?", [.text(id)]) { $0.text(0) ?? "" }.first ?? ""
        do {
            return try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
        } catch {
            throw HubError.unavailable("the hub store's conflict entry \(id) is damaged (\(error))")
        }
    }

    /// Who wrote what: the devices and the replicas they pushed from.
    func conflictPeople() throws -> ConflictPeople {
        ConflictPeople(devices: try devices(),
                       replicas: try db.query("SELECT replica_id, device FROM replicas") { ($0.text(0) ?? "", $0.text(1) ?? "") })
    }

    /// Entries as the reports and the conflict commands list them, oldest first.
    func conflictLines(status: ConflictStatus, since: String?, until: String?, scope: Scope,
                       id: String? = nil, record: String? = nil, people known: ConflictPeople? = nil) throws -> [MergeReport.ConflictLine] {
        let people = try known ?? conflictPeople()
        var sql = """
            SELECT c.id, c.record, c.body, c.found_at, c.device, coalesce(r.commune, f.commune), r.name, c.resolution FROM conflicts c
            LEFT JOIN records r ON r.id = c.record LEFT JOIN forgotten f ON f.id = c.record
            WHERE c.found_at >= ?1 AND c.found_at < ?2
            """
        var values: [SQLValue] = [.text(since ?? ""), .text(until ?? "9999")]
        if let id {
            sql += " AND c.id = ?\(values.count + 1)"
            values.append(.text(id))
        }
        if let record {
            sql += " AND c.record = ?\(values.count + 1)"
            values.append(.text(record))
        }
        switch status {
        case .open: sql += " AND c.resolution IS NULL"
        case .resolved: sql += " AND c.resolution IS NOT NULL"
        case .all: break
        }
        return try db.query(sql + " ORDER BY c.found_at, c.id", values) { row in
            try people.line(id: row.text(0) ?? "", body: row.text(2) ?? "", foundAt: row.text(3) ?? "", commune: row.text(5),
                            citizen: row.text(6), resolution: row.text(7))
        }.filter { line in line.commune.map(scope.covers(commune:)) ?? scope.isWholeCountry }
    }
}

