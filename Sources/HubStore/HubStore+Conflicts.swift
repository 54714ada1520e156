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
                let resolution = try Self.resolutionOfCompacted(conflict, choice: choice, by: resolver, device: device, now: now)
                try db.run("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Self.json(resolution)), .text(line.id)])
                var resolved = line
                resolved.resolution = resolution
                return (resolved, false)
            }
            try Self.checkBothSides(of: conflict, id: line.id, current: current.state)
            let changes = try Self.changes(for: choice, of: conflict, current: current.state, catalogue: catalogue)
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
            try db.run("UPDATE conflicts SET resolution = ? WHERE id = ?", [.text(Self.json(resolution)), .text(line.id)])
            resolved.resolution = resolution
            return (resolved, false)
        }
    }

    /// The resolution of an entry about a compacted visit (§7.2): only `keep`, which writes nothing.
    package static func resolutionOfCompacted(_ conflict: Conflict, choice: ConflictChoice, by resolver: String, device: String?,
                                              now: Date) throws -> ConflictResolution {
        guard choice == .keep else {
            throw HubError.invalidRequest("visit \(conflict.record) was deleted and then removed for good (compacted): "
                                          + "only keep resolves this entry; the edit stays in it")
        }
        return ConflictResolution(choice: choice.name, values: nil, by: resolver, device: device, at: ISODate.format(now), hubSeq: nil)
    }

    /// Refuses to resolve an entry until the hub's state of the visit follows both of its sides.
    package static func checkBothSides(of conflict: Conflict, id: String, current: RecordState) throws {
        for side in [conflict.storedVersion, conflict.incomingVersion] {
            let order = current.version.compare(side)
            guard order == .equal || order == .newer else {
                throw HubError.unavailable("the hub does not hold both sides of conflict \(id) yet (the laptop that found "
                                           + "it has not sent the merged visit): retry after its next sync")
            }
        }
    }

    /// The values a choice writes, widened to whole bound groups (members not chosen keep their value).
    package static func changes(for choice: ConflictChoice, of conflict: Conflict, current: RecordState,
                        catalogue: CommuneCatalogue) throws -> [String: FieldValue] {
        let deleted = RecordState.deletedField
        var changes: [String: FieldValue] = [:]
        switch (choice, conflict.kind) {
        case (.keep, _):
            return [:]
        case (.take, .conflict):
            for difference in conflict.fields { changes[difference.field] = difference.lost?.value ?? .null }
        case (.take, .editVsDelete):
            let storedDeleted = conflict.fields.first { $0.field == deleted }?.stored?.value.bool == true
            for difference in conflict.fields where difference.field != deleted {
                changes[difference.field] = (storedDeleted ? difference.incoming : difference.stored)?.value ?? .null
            }
            changes[deleted] = .bool(false)
        case (.set, .editVsDelete):
            throw HubError.invalidRequest("an edit-vs-delete entry is resolved with keep (the visit stays deleted) "
                                          + "or take (the visit is restored with the edit)")
        case (.set(let values), .conflict):
            let listed = conflict.fields.map(\.field)
            guard !values.isEmpty else { throw HubError.invalidRequest("set needs at least one field=value") }
            for (name, value) in values {
                guard listed.contains(name), let field = VisitField(rawValue: name) else {
                    throw HubError.invalidRequest("\(SafeText.quote(name)) is not a field of this conflict: set one of "
                                                  + listed.joined(separator: ", "))
                }
                do {
                    try field.check(value, catalogue: catalogue)
                } catch {
                    throw HubError.invalidRequest("\(name): \(error)")
                }
                changes[name] = value
            }
        }
        // A write to a bound group stamps the whole group (§5).
        for name in Array(changes.keys) {
            for member in VisitField(rawValue: name)?.group ?? [] where changes[member.rawValue] == nil {
                changes[member.rawValue] = current[member.rawValue]?.value ?? .null
            }
        }
        return changes
    }

    /// A value typed by a coordinator for a field a conflict can be resolved with (`set`): codes for
    /// service, outcome and reason, text for name and note, a mobile number for phone; empty clears
    /// reason, phone and note.
    public static func typedValue(_ text: String, for name: String) throws -> FieldValue {
        let text = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard let field = VisitField(rawValue: name) else {
            throw HubError.invalidRequest("visits have no field \(SafeText.quote(name))")
        }
        do {
            switch field {
            case .service, .outcome, .name:
                return .text(text)
            case .reason, .note:
                return text.isEmpty ? (field == .note ? .text("") : .null) : .text(text)
            case .phone:
                return text.isEmpty ? .null : .text(try PhoneNumber(validating: text).digits)
            default:
                throw HubError.invalidRequest("\(name) cannot be typed at the hub: resolve with keep or take")
            }
        } catch let error as InputError {
            throw HubError.invalidRequest("\(name): \(error)")
        }
    }

    /// Writes `changes` to a stored visit as the hub's own write: a new hub seq and a stamp after every
    /// write the hub holds, on the visit's version vector. Returns the new state and hub change number.
    /// - Parameter validating: refuse (with nothing written) a result that breaks a visit rule.
    func hubWrite(_ changes: [String: FieldValue], to current: (visit: Visit, state: RecordState, hubSeq: UInt64),
                  now: Date, validating: Bool) throws -> (state: RecordState, hubSeq: UInt64) {
        var hub = try hubClock()
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
        hub.observe(current.state, now: millis)
        let state = hub.write(changes, to: current.state, recordID: current.visit.id, now: millis)
        let visit: Visit
        do {
            visit = try Visit(state: state, catalogue: catalogue)
            if validating && !visit.deleted { try visit.validate(now: now) }
        } catch {
            throw HubError.invalidRequest("the visit would break a rule: \(error); nothing was written")
        }
        var aggregates = ReportAggregates()
        aggregates.replace(current.visit, with: visit)
        let hubSeq = UInt64(try db.scalarInt("SELECT hub_seq FROM hub") ?? 0) + 1
        try db.run(HubRow.upsertSQL, HubRow.values(visit, state: state, hubSeq: hubSeq, province: Self.province(of: visit.commune),
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

/// Who wrote each side of conflict entries: devices and the replicas they pushed from.
package struct ConflictPeople {
    let devices: [String: Device]
    let replicaDevice: [String: String]

    package init(devices: [Device], replicas: [(String, String)]) {
        self.devices = Dictionary(uniqueKeysWithValues: devices.map { ($0.id, $0) })
        replicaDevice = Dictionary(replicas, uniquingKeysWith: { a, _ in a })
    }

    /// A stored entry as reports and conflict commands list it. An entry that cannot be read fails the
    /// listing: dropping it would hide a lost value.
    package func line(id: String, body: String, foundAt: String, commune: String?, citizen: String?,
                      resolution text: String?) throws -> MergeReport.ConflictLine {
        let conflict: Conflict
        let resolution: ConflictResolution?
        do {
            conflict = try JSONDecoder().decode(Conflict.self, from: Data(body.utf8))
            resolution = try text.map { try JSONDecoder().decode(ConflictResolution.self, from: Data($0.utf8)) }
        } catch {
            throw HubError.unavailable("the hub store's conflict entry \(id) is damaged (\(error))")
        }
        return MergeReport.ConflictLine(
            id: id.isEmpty ? conflict.id : id, kind: conflict.kind.rawValue, record: conflict.record, commune: commune,
            citizen: citizen, foundAt: foundAt, detectedBy: conflict.detectedBy.description,
            fields: conflict.fields.map {
                MergeReport.FieldLine(field: $0.field, stored: written($0.stored), incoming: written($0.incoming), winner: $0.winner)
            },
            resolution: resolution)
    }

    func written(_ register: Register?) -> MergeReport.Written? {
        guard let register else { return nil }
        let device = replicaDevice[register.stamp.replica.description]
        return MergeReport.Written(
            value: register.value, stamp: register.stamp, replica: register.stamp.replica.description, device: device,
            volunteer: device.flatMap { devices[$0]?.volunteer },
            at: ISODate.format(Date(timeIntervalSince1970: Double(register.stamp.millis) / 1000)))
    }
}

extension Scope {
    /// Whether a record of this commune is inside the scope.
    public func covers(commune code: String) -> Bool {
        if let own = commune { return own == code }
        if let province { return HubStore.province(of: code) == province }
        return true
    }

    /// Whether the scope has no bounds (the operator's).
    package var isWholeCountry: Bool { commune == nil && province == nil }

    /// The scope in words: "commune 00004", "province 01" or "whole country".
    package var text: String {
        if let commune { return "commune \(commune)" }
        if let province { return "province \(province)" }
        return "whole country"
    }
}
