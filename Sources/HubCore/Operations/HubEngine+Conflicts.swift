import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

extension HubEngine {
    /// The conflict entries found in a period (ISO 8601 bounds, either open) inside `scope`, oldest first.
    public func conflicts(status: ConflictStatus, since: String?, until: String?, scope: Scope) async throws -> [MergeReport.ConflictLine] {
        try await snapshot { try await conflictLines(status: status, since: since, until: until, scope: scope, in: $0) }
    }

    /// One conflict entry inside `scope`, with the visit's current value of each of its fields.
    /// - Throws: `HubError.notFound` for an unknown id or one outside the scope.
    public func conflict(_ id: String, scope: Scope) async throws -> MergeReport.ConflictLine {
        try await snapshot { try await conflictLine(id, scope: scope, in: $0) }
    }

    /// Resolves a conflict entry (Protocol/README.md §5.4). `take` and `set` are one hub write on a version vector
    /// that covers both sides, so it reaches every laptop and conflicts with neither write it resolves; `keep` writes
    /// nothing. Resolving an entry again changes nothing. The entry's visit is locked, and the hub's own write takes
    /// its seq and clock from the hub row, locked for that write only, so hub writes never share a write identity.
    /// - Returns: the entry with its resolution, and whether it had been resolved before.
    /// - Throws: `HubError.notFound`, `.invalidRequest` for a value or field that cannot be set, `.unavailable`
    ///   while the hub does not yet hold both sides.
    @discardableResult
    public func resolveConflict(_ id: String, choice: ConflictChoice, by resolver: String, device: String?,
                                scope: Scope) async throws -> (line: MergeReport.ConflictLine, alreadyResolved: Bool) {
        let now = clock.now()
        return try await transaction { session in
            let found = try await conflictLine(id, scope: scope, in: session)
            try await session.lock(records: [found.record])
            var line = try await conflictLine(found.id, scope: scope, in: session)
            let row = try await session.query("SELECT body, resolution FROM conflicts WHERE id = ?" + session.dialect.forUpdate, [.text(line.id)]).first
            if try row?.isNull("resolution") == false { return (line, true) }
            let conflict = try Self.conflict(id: line.id, body: try row?.text("body") ?? "")
            guard let current = try await storedVisit(conflict.record, in: session) else {
                guard try await !forgottenStates([conflict.record], in: session).isEmpty else {
                    throw HubError.notFound("the hub does not hold visit \(conflict.record) of conflict \(line.id)")
                }
                let resolution = try Hub.resolutionOfCompacted(conflict, choice: choice, by: resolver, device: device, now: now)
                try await session.execute("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Hub.json(resolution)), .text(line.id)])
                line.resolution = resolution
                return (line, false)
            }
            try Hub.checkBothSides(of: conflict, id: line.id, current: current.state)
            let changes = try Hub.changes(for: choice, of: conflict, current: current.state, catalogue: catalogue)
            var hubSeq: UInt64?
            var written: [String: FieldValue]?
            if changes.contains(where: { current.state[$0.key]?.value != $0.value }) {
                let result = try await hubWrite(changes, to: current, now: now, validating: true, in: session)
                hubSeq = result.hubSeq
                written = changes
                line.current = line.current.map { values in values.keys.reduce(into: values) { $0[$1] = result.state[$1]?.value ?? .null } }
            }
            let resolution = ConflictResolution(choice: choice.name, values: written, by: resolver, device: device,
                                                at: ISODate.format(now), hubSeq: hubSeq)
            try await session.execute("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Hub.json(resolution)), .text(line.id)])
            line.resolution = resolution
            return (line, false)
        }
    }

    /// Writes `changes` to a stored visit as the hub's own write (the caller holds the visit's lock): a new change
    /// number, and a stamp after every write the hub holds on the visit's version vector.
    /// - Parameter validating: refuse (with nothing written) a result that breaks a visit rule.
    func hubWrite(_ changes: [String: FieldValue], to current: StoredVisit, now: Date, validating: Bool,
                  in session: Session) async throws -> (state: RecordState, hubSeq: UInt64) {
        var hub = try await hubClock(in: session)
        let (visit, state) = try Hub.hubWrite(changes, to: current.state, recordID: current.visit.id, hub: &hub, now: now,
                                              validating: validating, catalogue: catalogue)
        let hubSeq = try await session.writeRecords([RecordWrite(visit: visit, state: state, previous: current.visit, device: "hub",
                                                                 at: ISODate.format(now), sentIn: nil)])
        try await session.execute("UPDATE hub SET seq = ?, clock_ms = ?, clock_counter = ?",
                                  [.counter(hub.seq), .counter(hub.clock.millis), .integer(Int64(hub.clock.counter))])
        return (state, hubSeq)
    }

    /// One entry by id (or its first 8 or more hex digits) inside `scope`, with the current values of its fields.
    func conflictLine(_ id: String, scope: Scope, in session: Session) async throws -> MergeReport.ConflictLine {
        let prefix = id.lowercased()
        let notFound = HubError.notFound("no conflict \(SafeText.quote(id)) in this hub's \(scope.text): see `conflicts list`")
        guard (8...32).contains(prefix.utf8.count),
              prefix.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { throw notFound }
        let ids = try await session.query("SELECT id FROM conflicts WHERE substr(id, 1, CAST(? AS INTEGER)) = ? LIMIT 2",
                                          [.integer(prefix.utf8.count), .text(prefix)]).map { try $0.text("id") ?? "" }
        guard ids.count < 2 else { throw HubError.invalidRequest("\(prefix) starts more than one conflict id: give more digits") }
        guard let full = ids.first,
              var line = try await conflictLines(status: .all, since: nil, until: nil, scope: scope, id: full, in: session).first
        else { throw notFound }
        if let current = try await storedVisit(line.record, in: session) {
            line.current = Dictionary(uniqueKeysWithValues: line.fields.map { ($0.field, current.state[$0.field]?.value ?? .null) })
        }
        return line
    }

    /// A stored entry as SyncCore reads it.
    static func conflict(id: String, body: String) throws -> Conflict {
        do {
            return try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
        } catch {
            throw HubError.unavailable("the hub store's conflict entry \(id) is damaged (\(error))")
        }
    }

    /// Who wrote what: the devices and the replicas they pushed from.
    func conflictPeople(in session: Session) async throws -> ConflictPeople {
        ConflictPeople(devices: try await devices(in: session),
                       replicas: try await session.query("SELECT replica_id, device FROM replicas").map {
                           (try $0.text("replica_id") ?? "", try $0.text("device") ?? "")
                       })
    }

    /// Entries as the reports and the conflict commands list them, oldest first.
    package func conflictLines(status: ConflictStatus, since: String?, until: String?, scope: Scope, id: String? = nil,
                               record: String? = nil, people known: ConflictPeople? = nil,
                               in session: Session) async throws -> [MergeReport.ConflictLine] {
        let people: ConflictPeople
        if let known { people = known } else { people = try await conflictPeople(in: session) }
        var sql = """
            SELECT c.id, c.body, c.found_at, coalesce(r.commune, f.commune) AS commune, r.name, c.resolution FROM conflicts c
            LEFT JOIN records r ON r.id = c.record LEFT JOIN forgotten f ON f.id = c.record
            WHERE c.found_at >= ? AND c.found_at < ?
            """
        var values: [HubValue] = [.text(since ?? ""), .text(until ?? "9999")]
        if let id {
            sql += " AND c.id = ?"
            values.append(.text(id))
        }
        if let record {
            sql += " AND c.record = ?"
            values.append(.text(record))
        }
        switch status {
        case .open: sql += " AND c.resolution IS NULL"
        case .resolved: sql += " AND c.resolution IS NOT NULL"
        case .all: break
        }
        return try await session.query(sql + " ORDER BY c.found_at, c.id", values).map { row in
            try people.line(id: try row.text("id") ?? "", body: try row.text("body") ?? "", foundAt: try row.text("found_at") ?? "",
                            commune: try row.text("commune"), citizen: try row.text("name"), resolution: try row.text("resolution"))
        }.filter { line in line.commune.map(scope.covers(commune:)) ?? scope.isWholeCountry }
    }
}
