import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import RecordKinds
import SQLiteKit
import SyncCore

/// What a write of a record of another kind did.
public struct RecordWriteResult: Sendable {
    /// The record after the write.
    public let state: RecordState
    /// The fields that changed (empty: nothing was written).
    public let changed: [String]
}

extension FieldStore {
    /// The version of a kind this laptop writes with: the hub's latest published one, else FieldSync's own.
    /// - Throws: `KindError.invalid` for a kind neither knows.
    public func kind(_ name: String) throws -> RecordKind {
        if let published = try publishedKinds()[name] { return published }
        return try RecordKind.builtIn(name)
    }

    /// The version of a kind this laptop knows, nil for a kind it has not received (a record of it is kept as it came,
    /// merged field by field). A kept answer of the hub that cannot be read is an error, not an unknown kind.
    func knownKind(_ name: String) throws -> RecordKind? {
        if let published = try publishedKinds()[name] { return published }
        return RecordKind.builtInNames.contains(name) ? try RecordKind.builtIn(name) : nil
    }

    /// Logs a new record of `kind`: one local write of every field given, with who wrote it (volunteer, team) and
    /// `deleted = false`; the commune is this laptop's unless given (a record of another commune would never be sent).
    /// - Throws: `InputError` for values the kind refuses (nothing is written).
    @discardableResult
    public func logRecord(_ kind: RecordKind, _ values: [String: FieldValue], now: Date = Date()) throws -> RecordState {
        var values = values.filter { $0.value != .null }
        let scope = try scopeCommune()
        if let commune = values["commune"]?.text {
            let code = try catalogue.resolve(commune).code
            guard code == scope else { throw InputError.outsideCommune(given: code, own: scope) }
        }
        values["commune"] = .text(scope)
        values["volunteer"] = .text(profile.volunteer)
        values["team"] = .text(profile.team)
        values[RecordState.deletedField] = .bool(false)
        try kind.validate(values, catalogue: catalogue)
        return try writeRecord(kind, id: VisitID.make(now: now), values, over: nil, now: now)
    }

    /// Edits a record of `kind`: only the fields whose value changes are written (with the rest of their group).
    /// - Parameter id: the record's id or an unambiguous prefix of it (8 characters or more).
    public func editRecord(_ kind: RecordKind, _ id: String, _ changes: [String: FieldValue], now: Date = Date()) throws -> RecordWriteResult {
        guard !changes.isEmpty else { throw StoreError.nothingToChange }
        return try write {
            let current = try record(of: kind.kind, id)
            guard !current.isDeleted else { throw StoreError.visitDeleted(id: current.id) }
            var values = Self.values(of: current)
            for (name, value) in changes {
                guard let field = kind.field(name), field.system != true else { throw InputError.unknownField(name) }
                if name == "commune", let code = value.text, try catalogue.resolve(code).code != (try scopeCommune()) {
                    throw InputError.outsideCommune(given: code, own: try scopeCommune())
                }
                values[name] = value == .null ? nil : value
            }
            try kind.validate(values, catalogue: catalogue)
            let before = Self.values(of: current)
            let changed = kind.fields.map(\.name).filter { before[$0] != values[$0] }
            guard !changed.isEmpty else { return RecordWriteResult(state: current, changed: []) }
            let written = Set(changed.flatMap { name in kind.groups.first { $0.contains(name) } ?? [name] })
            let state = try writeRecord(kind, id: current.id, values.filter { written.contains($0.key) }.merging(
                written.filter { values[$0] == nil }.map { ($0, FieldValue.null) }) { own, _ in own }, over: current, now: now)
            return RecordWriteResult(state: state, changed: changed)
        }
    }

    /// Deletes a record of `kind`: a write of its `deleted` register, so the deletion syncs like any edit.
    public func deleteRecord(_ kind: RecordKind, _ id: String, now: Date = Date()) throws -> RecordWriteResult {
        try write {
            let current = try record(of: kind.kind, id)
            guard !current.isDeleted else { return RecordWriteResult(state: current, changed: []) }
            let state = try writeRecord(kind, id: current.id, [RecordState.deletedField: .bool(true)], over: current, now: now)
            return RecordWriteResult(state: state, changed: [RecordState.deletedField])
        }
    }

    /// The records of a kind, newest first.
    public func records(of kind: String, includeDeleted: Bool = false) throws -> [RecordState] {
        try read {
            try db.query("SELECT kind, state, id FROM kind_records WHERE kind = ?\(includeDeleted ? "" : " AND deleted = 0") ORDER BY at DESC, id",
                         [.text(kind)], row: openRecord)
        }
    }

    /// The record of a kind with this id, or the one whose id starts or ends with this prefix (8 characters or more).
    public func record(of kind: String, _ idOrPrefix: String) throws -> RecordState {
        let text = idOrPrefix.trimmingWhitespace.lowercased()
        guard text.allSatisfy({ $0.isHexDigit || $0 == "-" }), text.count >= 8, text.count <= 36 else {
            throw InputError.visitIDMalformed(given: idOrPrefix)
        }
        return try read {
            let rows = try db.query("""
                SELECT kind, state, id FROM kind_records WHERE kind = ?1 AND (id = ?2 OR (id >= ?2 AND id < ?2 || 'g') OR substr(id, -?3) = ?2) LIMIT 5
                """, [.text(kind), .text(text), .integer(text.count)], row: openRecord)
            guard let first = rows.first else { throw StoreError.visitNotFound(id: idOrPrefix) }
            guard rows.count == 1 else { throw StoreError.visitIDAmbiguous(prefix: idOrPrefix, matches: rows.map(\.id)) }
            return first
        }
    }

    /// The values of a state's registers, by field name.
    public static func values(of state: RecordState) -> [String: FieldValue] {
        Dictionary(uniqueKeysWithValues: state.fields.compactMap { $0.register.value == .null ? nil : ($0.name, $0.register.value) })
    }

    /// One local write to a record of another kind (inside or outside a transaction: nested writes join it).
    private func writeRecord(_ kind: RecordKind, id: String, _ changes: [String: FieldValue], over current: RecordState?,
                             now: Date) throws -> RecordState {
        try write {
            var replica = try loadReplica()
            let state = replica.write(changes, to: current, recordID: id, kind: kind.kind, now: epochMillis(now))
            try journal(state, by: replica)
            let writes = try localWrites() + 1
            try saveRecord(state, kind: kind, ownSeq: writes)
            try saveReplica(replica, writes: writes)
            return state
        }
    }

    /// Stores a record's state; `ownSeq` nil keeps the number of its latest local write (a merge of a received state).
    func saveRecord(_ state: RecordState, kind: RecordKind?, ownSeq: Int64?) throws {
        let at = kind?.fields.first { $0.type == .datetime && $0.system != true }.flatMap { state[$0.name]?.value.text } ?? ""
        var json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        // A kind with personal fields (a household's head and phone) is sealed whole in an encrypted store.
        if try (kind ?? knownKind(state.kind))?.fields.contains(where: { $0.personal == true }) == true { json = try sealText(json, row: state.id) }
        try db.run("""
            INSERT INTO kind_records (id, kind, state, commune, at, deleted, own_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, coalesce(?7, 0))
            ON CONFLICT (id) DO UPDATE SET state = ?3, commune = ?4, at = ?5, deleted = ?6, own_seq = coalesce(?7, own_seq)
            """, [.text(state.id), .text(state.kind), .text(json), .text(state["commune"]?.value.text ?? ""), .text(at),
                  .bool(state.isDeleted), ownSeq.map { .integer($0) } ?? .null])
    }

    /// The stored state of a record of another kind by exact id, or nil (inside a transaction).
    func storedRecord(id: String) throws -> RecordState? {
        try db.query("SELECT kind, state, id FROM kind_records WHERE id = ?", [.text(id)], row: openRecord).first
    }

    /// A row selected as `kind, state, id` read back, opened when sealed.
    func openRecord(_ row: Statement) throws -> RecordState {
        let id = row.text(2) ?? ""
        return try Self.decodeRecord(try openText(row.text(1) ?? "", row: id), kind: row.text(0) ?? "")
    }

    static func decodeRecord(_ json: String, kind: String) throws -> RecordState {
        do {
            var state = try JSONDecoder().decode(RecordState.self, from: Data(json.utf8))
            state.kind = kind
            return state
        } catch {
            throw StoreError.damaged(path: "", detail: "a \(kind) record cannot be read (\(error))")
        }
    }
}
