import FieldModel
import Foundation
import RecordKinds
import SyncCore
import SyncProtocol
import TextSafety

// A commune's households (issue 31), on every engine: records of the built-in kind `household` in `kind_records`,
// imported from the commune's list by the hub's own replica, or added by volunteers in the field.
extension HubEngine {
    /// Imports a commune's household list: each line creates a household, or updates the one with the same key
    /// (`HouseholdKey`) in the columns the list has; a line equal to what is stored changes nothing. With `apply`
    /// false, or when any line is wrong, nothing is written: the answer is the preview, every wrong line named.
    /// - Throws: `HubError.outOfScope` for a commune outside the scope, `InputError` for an unknown commune.
    public func importHouseholds(_ list: HouseholdList, commune: String, scope: Scope, by actor: String, apply: Bool) async throws -> HouseholdImport {
        let commune = try catalogue.resolve(commune).code
        guard scope.covers(commune: commune) else { throw HubError.outOfScope("commune \(commune) is outside this account's area") }
        let now = clock.now()
        return try await transaction { session in
            let kind = try await latestKinds(in: session)["household"] ?? Self.builtInKind("household")
            let villages = try await session.query("SELECT name, code, team FROM villages WHERE commune = ?", [.text(commune)]).map {
                Village(commune: commune, name: try $0.text("name") ?? "", code: try $0.text("code"), team: try $0.text("team"))
            }
            var existing: [String: RecordState] = [:]
            for row in try await session.query("SELECT \(KindRecord.columns) FROM kind_records WHERE kind = 'household' AND commune = ?",
                                               [.text(commune)]) {
                let state = try KindRecord.decode(row).state
                if let key = state["key"]?.value.text { existing[key] = state }
            }
            var result = HouseholdImport(problems: list.problems)
            var firstLine: [String: Int] = [:]
            var hub = try await hubClock(in: session)
            var writes: [(state: RecordState, kind: RecordKind, sentIn: String?)] = []
            let listed = Set(list.columns.values.map(\.rawValue))
            for line in list.lines {
                guard let village = villages.first(where: { $0.isNamed(by: line.draft.village) }) else {
                    result.problems.append((line.line, .unknownVillage(given: line.draft.village, commune: commune, known: villages.map(\.name).sorted())))
                    continue
                }
                var draft = line.draft
                draft.village = village.name
                var values: [String: FieldValue]
                do {
                    values = try draft.values(kind)
                    values["commune"] = .text(commune)
                    try kind.validate(values.merging(["volunteer": .text(actor)]) { own, _ in own }, catalogue: catalogue)
                } catch let error as InputError {
                    result.problems.append((line.line, .invalid(error)))
                    continue
                }
                let key = draft.key
                if let first = firstLine[key] {
                    result.problems.append((line.line, .sameAs(line: first)))
                    continue
                }
                firstLine[key] = line.line
                let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
                if let current = existing[key] {
                    // Only the columns the list has are compared: a list without phones leaves the phones typed in the field.
                    let changes = values.filter { name, value in
                        (listed.contains(name) || name == "village") && current[name]?.value != value
                    }
                    guard !changes.isEmpty, current["erased"]?.value != .bool(true) else { result.unchanged += 1; continue }
                    hub.observe(current, now: millis)
                    writes.append((hub.write(changes.merging([RecordState.deletedField: .bool(false)]) { own, _ in own }, to: current,
                                             recordID: current.id, kind: "household", now: millis), kind, nil))
                    result.updated += 1
                } else {
                    values["volunteer"] = .text(actor)
                    values["source"] = .text("list")
                    values[RecordState.deletedField] = .bool(false)
                    if let team = village.team { values["team"] = .text(team) }
                    writes.append((hub.write(values, to: nil, recordID: VisitID.make(now: now), kind: "household", now: millis), kind, nil))
                    result.created += 1
                }
            }
            result.problems.sort { $0.line < $1.line }
            guard apply, result.problems.isEmpty, !writes.isEmpty else { return result }
            _ = try await writeKindRecords(writes, device: "hub", now: ISODate.format(now), in: session)
            try await session.execute("UPDATE hub SET seq = ?, clock_ms = ?, clock_counter = ?",
                                      [.counter(hub.seq), .counter(hub.clock.millis), .integer(Int64(hub.clock.counter))])
            try await audit([AuditDraft(actor: actor, action: .households, scope: "commune \(commune)",
                                        detail: ["created": String(result.created), "updated": String(result.updated)])], now: now, in: session)
            result.applied = true
            return result
        }
    }

    /// Deletes a household of a scope, or erases its personal fields (head, phone, note) for good: the hub's own write,
    /// which syncs to the laptops like any other; audited. Returns the household as it is now.
    /// - Throws: `HubError.notFound` for an id (or 8 hex digits of one) no household of the scope has.
    public func removeHousehold(_ id: String, erase: Bool, scope: Scope, by actor: String) async throws -> RecordState {
        let now = clock.now()
        func remove(_ session: Session) async throws -> RecordState {
            let prefix = id.lowercased()
            let (place, values) = scope.condition()
            let rows = try await session.query("""
                SELECT \(KindRecord.columns) FROM kind_records WHERE kind = 'household' AND \(place)
                    AND (id = ? OR substr(id, 1, CAST(? AS INTEGER)) = ? OR substr(id, length(id) - CAST(? AS INTEGER) + 1) = ?) LIMIT 2
                """, values + [.text(prefix), .integer(prefix.utf8.count), .text(prefix), .integer(prefix.utf8.count), .text(prefix)])
            guard prefix.utf8.count >= 8, rows.count == 1, let current = try rows.first.map({ try KindRecord.decode($0).state }) else {
                throw HubError.notFound("no single household \(SafeText.quote(id)) in this hub's \(scope.text): see `households list`")
            }
            var changes: [String: FieldValue] = [RecordState.deletedField: .bool(true)]
            if erase { changes = ["erased": .bool(true), "head": .text(Visit.erasedName), "phone": .null, "note": .null] }
            let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
            var hub = try await hubClock(in: session)
            hub.observe(current, now: millis)
            let state = hub.write(changes, to: current, recordID: current.id, kind: "household", now: millis)
            let kind = try await latestKinds(in: session)["household"] ?? Self.builtInKind("household")
            _ = try await writeKindRecords([(state, kind, nil)], device: "hub", now: ISODate.format(now), in: session)
            try await session.execute("UPDATE hub SET seq = ?, clock_ms = ?, clock_counter = ?",
                                      [.counter(hub.seq), .counter(hub.clock.millis), .integer(Int64(hub.clock.counter))])
            try await audit([AuditDraft(actor: actor, action: .households, scope: "commune \(current["commune"]?.value.text ?? "")",
                                        detail: ["household": current.id, erase ? "erased" : "deleted": "yes"])], now: now, in: session)
            return state
        }
        // An erasure leaves none of the overwritten bytes in the store's files.
        return erase ? try await transaction(erasingFrom: ["kind_records"], remove) : try await transaction(remove)
    }

    /// The households of a scope (one village of it when given), deleted ones left out, by village and address.
    public func households(in scope: Scope, village: String? = nil) async throws -> [RecordState] {
        try await snapshot { session in
            var (place, values) = scope.condition()
            if let village {
                place += " AND village = ?"
                values.append(.text(village))
            }
            return try await session.query("""
                SELECT \(KindRecord.columns) FROM kind_records WHERE kind = 'household' AND deleted = 0 AND \(place) ORDER BY commune, village, id
                """, values).map { try KindRecord.decode($0).state }
        }
    }
}

/// What an import of a household list did, or would do.
public struct HouseholdImport: Sendable {
    public var created = 0
    public var updated = 0
    public var unchanged = 0
    /// Wrong lines, by number: with any, nothing is written.
    public var problems: [(line: Int, problem: HouseholdProblem)]
    /// Whether it was written.
    public var applied = false

    public init(problems: [(line: Int, problem: HouseholdProblem)] = []) {
        self.problems = problems
    }
}
