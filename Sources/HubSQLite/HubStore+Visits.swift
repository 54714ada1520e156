import HubCore
import FieldModel
import SQLiteKit
import SyncProtocol

extension HubStore {
    /// A page of visits, newest changes first, from one snapshot.
    public func visits(_ query: VisitQuery) throws -> VisitPage {
        try read {
            let (condition, values) = query.condition { "?\($0)" }
            let statement = try db.prepare("""
                SELECT \(HubRow.columns) FROM records WHERE \(condition) AND hub_seq < ?\(values.count + 1)
                ORDER BY hub_seq DESC LIMIT ?\(values.count + 2)
                """)
            var collector = VisitCollector(query)
            while true {
                let rows = try statement.query(values.map { .text($0) } + [.integer(Int64(clamping: collector.before ?? UInt64(Int64.max))),
                                                                            .integer(collector.batch)]) {
                    let row = try HubRow.decode($0)
                    return VisitLine(row.visit, hubSeq: row.hubSeq)
                }
                if let page = collector.take(rows) { return page }
            }
        }
    }

    /// One visit inside a scope, with each field's last writer and its conflict entries.
    public func visit(_ id: String, scope: Scope) throws -> VisitDetail {
        try read {
            guard let stored = try storedVisit(id), scope.covers(commune: stored.visit.commune) else {
                throw HubError.notFound("no visit \(id) in this coordinator's area")
            }
            let people = try conflictPeople()
            return Hub.detail(stored, people: people,
                               conflicts: try conflictLines(status: .all, since: nil, until: nil, scope: scope, record: id, people: people))
        }
    }
}
