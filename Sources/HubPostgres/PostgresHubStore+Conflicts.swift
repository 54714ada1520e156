import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore
import SyncProtocol
import TextSafety

extension PostgresHubStore {
    public func conflicts(status: ConflictStatus, since: String?, until: String?, scope: Scope) async throws -> [MergeReport.ConflictLine] {
        try await connectionSnapshot { try await self.conflictLines(status: status, since: since, until: until, scope: scope, id: nil, on: $0) }
    }

    public func conflict(_ id: String, scope: Scope) async throws -> MergeReport.ConflictLine {
        try await connectionSnapshot { try await self.conflictLine(id, scope: scope, on: $0) }
    }

    /// Resolves an entry as on SQLite (HubStore+Conflicts.swift): the entry's visit is locked, and the
    /// hub's own write takes its seq and clock from the hub row, locked for that write only (pushes never
    /// touch it), so hub writes from several processes never share a write identity.
    public func resolveConflict(_ id: String, choice: ConflictChoice, by resolver: String, device: String?,
                                scope: Scope) async throws -> (line: MergeReport.ConflictLine, alreadyResolved: Bool) {
        let now = clock.now()
        return try await connectionTransaction { connection in
            let found = try await self.conflictLine(id, scope: scope, on: connection)
            try await self.lock(records: [found.record], on: connection)
            var line = try await self.conflictLine(found.id, scope: scope, on: connection)
            var body = ""
            var resolved = false
            for try await (text, resolution) in try await connection.query(
                "SELECT body, resolution FROM conflicts WHERE id = \(line.id) FOR UPDATE", logger: logger).decode((String, String?).self) {
                body = text
                resolved = resolution != nil
            }
            if resolved { return (line, true) }
            let conflict: Conflict
            do {
                conflict = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
            } catch {
                throw HubError.unavailable("the hub store's conflict entry \(line.id) is damaged (\(error))")
            }
            guard let current = try await self.storedVisits([conflict.record], on: connection)[conflict.record] else {
                guard try await !self.forgottenStates([conflict.record], on: connection).isEmpty else {
                    throw HubError.notFound("the hub does not hold visit \(conflict.record) of conflict \(line.id)")
                }
                let resolution = try Hub.resolutionOfCompacted(conflict, choice: choice, by: resolver, device: device, now: now)
                try await connection.query("UPDATE conflicts SET resolution = \(Hub.json(resolution)) WHERE id = \(line.id)",
                                           logger: logger)
                line.resolution = resolution
                return (line, false)
            }
            try Hub.checkBothSides(of: conflict, id: line.id, current: current.state)
            let changes = try Hub.changes(for: choice, of: conflict, current: current.state, catalogue: self.catalogue)
            var hubSeq: UInt64?
            var written: [String: FieldValue]?
            if changes.contains(where: { current.state[$0.key]?.value != $0.value }) {
                let state = try await self.hubWrite(changes, to: current, now: now, validating: true, on: connection)
                hubSeq = try await self.currentSeqBase(on: connection)
                written = changes
                line.current = line.current.map { values in values.keys.reduce(into: values) { $0[$1] = state[$1]?.value ?? .null } }
            }
            let resolution = ConflictResolution(choice: choice.name, values: written, by: resolver, device: device,
                                                at: ISODate.format(now), hubSeq: hubSeq)
            try await connection.query("UPDATE conflicts SET resolution = \(Hub.json(resolution)) WHERE id = \(line.id)",
                                       logger: logger)
            line.resolution = resolution
            return (line, false)
        }
    }

    /// Writes `changes` to a stored visit as the hub's own write (the caller holds the visit's lock).
    func hubWrite(_ changes: [String: FieldValue], to current: StoredVisit, now: Date,
                  validating: Bool, on connection: PostgresConnection) async throws -> RecordState {
        var hub = ReplicaState(id: hubReplica)
        for try await (seq, millis, counter) in try await connection.query(
            "SELECT seq, clock_ms, clock_counter FROM hub FOR UPDATE", logger: logger).decode((Int64, Int64, Int64).self) {
            hub = ReplicaState(id: hubReplica, seq: UInt64(clamping: seq), clockMillis: UInt64(clamping: millis),
                               clockCounter: UInt32(clamping: counter))
        }
        let (visit, state) = try Hub.hubWrite(changes, to: current.state, recordID: current.visit.id, hub: &hub, now: now,
                                              validating: validating, catalogue: catalogue)
        // Each row this transaction writes takes its own hub seq: the next after those it wrote already (an erasure
        // of several visits writes several).
        var written = 0
        for try await n in try await connection.query("""
            SELECT count(*)::bigint FROM records WHERE hub_seq >= pg_current_xact_id()::text::bigint << 16
                AND hub_seq < (pg_current_xact_id()::text::bigint + 1) << 16
            """, logger: logger).decode(Int.self) { written = n }
        var binds = PostgresBindings()
        binds.append(String(decoding: try JSONEncoder().encode([RecordRow(written, visit, state: state, device: "hub", now: ISODate.format(now),
                                                                          sentIn: nil)]), as: UTF8.self))
        try await connection.query(PostgresQuery(unsafeSQL: RecordRow.upsertSQL, binds: binds), logger: logger)
        try await connection.query("""
            UPDATE hub SET seq = \(Int64(clamping: hub.seq)), clock_ms = \(Int64(clamping: hub.clock.millis)),
                clock_counter = \(Int64(hub.clock.counter))
            """, logger: logger)
        return state
    }

    /// One entry by id (or its first 8 or more hex digits) inside `scope`, with the current values of its fields.
    func conflictLine(_ id: String, scope: Scope, on connection: PostgresConnection) async throws -> MergeReport.ConflictLine {
        let prefix = id.lowercased()
        let notFound = HubError.notFound("no conflict \(SafeText.quote(id)) in this hub's \(scope.text): see `conflicts list`")
        guard (8...32).contains(prefix.utf8.count),
              prefix.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { throw notFound }
        var ids: [String] = []
        for try await full in try await connection.query("""
            SELECT id FROM conflicts WHERE substr(id, 1, \(Int32(prefix.utf8.count))) = \(prefix) LIMIT 2
            """, logger: logger).decode(String.self) { ids.append(full) }
        guard ids.count < 2 else { throw HubError.invalidRequest("\(prefix) starts more than one conflict id: give more digits") }
        guard let full = ids.first,
              var line = try await conflictLines(status: .all, since: nil, until: nil, scope: scope, id: full, on: connection).first
        else { throw notFound }
        if let current = try await storedVisits([line.record], on: connection)[line.record] {
            line.current = Dictionary(uniqueKeysWithValues: line.fields.map { ($0.field, current.state[$0.field]?.value ?? .null) })
        }
        return line
    }

    /// Who wrote what: the devices and the replicas they pushed from.
    func conflictPeople(on connection: PostgresConnection) async throws -> ConflictPeople {
        var replicas: [(String, String)] = []
        for try await row in try await connection.query("SELECT replica_id, device FROM replicas", logger: logger)
            .decode((String, String).self) { replicas.append(row) }
        return ConflictPeople(devices: try await devices(connection, ""), replicas: replicas)
    }

    /// Entries as the reports and the conflict commands list them, oldest first.
    func conflictLines(status: ConflictStatus, since: String?, until: String?, scope: Scope, id: String?, record: String? = nil,
                       people known: ConflictPeople? = nil, on connection: PostgresConnection) async throws -> [MergeReport.ConflictLine] {
        let people: ConflictPeople
        if let known { people = known } else { people = try await conflictPeople(on: connection) }
        var sql = """
            SELECT c.id, c.record, c.body, c.found_at, c.device, coalesce(r.commune, f.commune), r.name, c.resolution FROM conflicts c
            LEFT JOIN records r ON r.id = c.record LEFT JOIN forgotten f ON f.id = c.record
            WHERE c.found_at >= $1 AND c.found_at < $2
            """
        var binds = PostgresBindings()
        binds.append(since ?? "")
        binds.append(until ?? "9999")
        if let id {
            binds.append(id)
            sql += " AND c.id = $\(binds.count)"
        }
        if let record {
            binds.append(record)
            sql += " AND c.record = $\(binds.count)"
        }
        switch status {
        case .open: sql += " AND c.resolution IS NULL"
        case .resolved: sql += " AND c.resolution IS NOT NULL"
        case .all: break
        }
        var lines: [MergeReport.ConflictLine] = []
        for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql + " ORDER BY c.found_at, c.id", binds: binds),
                                                        logger: logger)
            .decode((String, String, String, String, String?, String?, String?, String?).self) {
            let line = try people.line(id: row.0, body: row.2, foundAt: row.3, commune: row.5, citizen: row.6, resolution: row.7)
            if line.commune.map(scope.covers(commune:)) ?? scope.isWholeCountry { lines.append(line) }
        }
        return lines
    }
}
