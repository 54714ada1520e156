import FieldModel
import Foundation
import RecordKinds
import SyncCore
import SyncProtocol

// Records of kinds other than the visit (Protocol/README.md §12), on every engine: one table, `kind_records`, with the
// whole state and indexed projections (HubCore.KindRecord), under the change numbers visits use.
extension HubEngine {
    /// The stored records of other kinds with these ids, read in one statement.
    func storedKindRecords(_ ids: [String], in session: Session) async throws -> [String: KindRecord] {
        guard !ids.isEmpty else { return [:] }
        var found: [String: KindRecord] = [:]
        for row in try await session.query("SELECT \(KindRecord.columns) FROM kind_records WHERE \(session.dialect.isIn("id"))", [.texts(ids)]) {
            let record = try KindRecord.decode(row)
            found[record.state.id] = record
        }
        return found
    }

    /// Writes records of other kinds, each under the next change number of the store; returns the last, nil for none.
    func writeKindRecords(_ writes: [(state: RecordState, kind: RecordKind, sentIn: String?)], device: String, now: String,
                          in session: Session) async throws -> UInt64? {
        // One row per record: a push that names a record twice writes its last state.
        var last: [String: Int] = [:]
        for (index, write) in writes.enumerated() { last[write.state.id] = index }
        let rows = writes.enumerated().filter { last[$0.element.state.id] == $0.offset }.map(\.element)
        guard !rows.isEmpty else { return nil }
        let first = try await session.reserveChangeNumbers(rows.count)
        let updates = KindRecord.writtenColumns.filter { $0 != "id" && $0 != "device" }.map { "\($0) = excluded.\($0)" }.joined(separator: ", ")
        try await session.insertRows(into: "kind_records", columns: KindRecord.writtenColumns, rows: try rows.enumerated().map { n, row in
            try KindRecord.values(row.state, kind: row.kind, hubSeq: first + UInt64(n), device: device, now: now, sentIn: row.sentIn)
        }, conflict: "ON CONFLICT (id) DO UPDATE SET \(updates)")
        return first + UInt64(rows.count - 1)
    }

    /// The records of one kind in a scope, newest first (at most `limit`), deleted ones left out.
    public func kindRecords(_ kind: String, scope: Scope, since: String? = nil, until: String? = nil, limit: Int = 500) async throws -> [KindRecord] {
        try await snapshot { session in
            let (place, values) = Self.condition(scope, since: since, until: until)
            return try await session.query("""
                SELECT \(KindRecord.columns) FROM kind_records WHERE kind = ? AND deleted = 0 AND \(place) ORDER BY at DESC, id LIMIT ?
                """, [.text(kind)] + values + [.integer(limit)]).map(KindRecord.decode)
        }
    }

    /// The records of one kind in a scope counted by commune and option (`code`, the kind's first option field): how many,
    /// and the sum of their `amount` (the kind's first integer field) — for a training session, people trained by topic. A record a coordinator rejected counts in none.
    public func kindTotals(_ kind: String, scope: Scope, since: String? = nil, until: String? = nil) async throws -> [KindTotal] {
        try await snapshot { session in
            let (place, values) = Self.condition(scope, since: since, until: until)
            return try await session.query("""
                SELECT commune, code, count(*) AS records, CAST(coalesce(sum(amount), 0) AS BIGINT) AS amount FROM kind_records
                WHERE kind = ? AND deleted = 0 AND (review IS NULL OR review <> 'rejected') AND \(place) GROUP BY commune, code ORDER BY commune, code
                """, [.text(kind)] + values).map { row in
                KindTotal(commune: try row.text("commune") ?? "", code: try row.text("code") ?? "", records: Int(try row.int64("records")),
                          amount: Int(try row.int64("amount")))
            }
        }
    }
}

extension HubEngine {
    /// The condition of a scope and a period on a record's time (canonical UTC, as the kind's first date-time field).
    static func condition(_ scope: Scope, since: String?, until: String?) -> (String, [HubValue]) {
        var (place, values) = scope.condition()
        if let since {
            place += " AND at >= ?"
            values.append(.text(since))
        }
        if let until {
            place += " AND at < ?"
            values.append(.text(until))
        }
        return (place, values)
    }
}

/// How many records of a kind a commune has for one option, and the sum of their amounts.
public struct KindTotal: Sendable, Equatable {
    public var commune: String
    public var code: String
    public var records: Int
    public var amount: Int

    public init(commune: String, code: String, records: Int, amount: Int) {
        (self.commune, self.code, self.records, self.amount) = (commune, code, records, amount)
    }
}
