import FieldModel
import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    public func visits(_ query: VisitQuery) async throws -> VisitPage {
        let (condition, values) = query.condition { "$\($0)" }
        let sql = """
            SELECT \(HubRow.columns) FROM records WHERE \(condition) AND hub_seq < $\(values.count + 1)
            ORDER BY hub_seq DESC LIMIT $\(values.count + 2)
            """
        return try await connectionSnapshot { connection in
            var collector = VisitCollector(query)
            while true {
                var binds = PostgresBindings()
                for value in values { binds.append(value) }
                binds.append(Int64(clamping: collector.before ?? UInt64(Int64.max)))
                binds.append(collector.batch)
                var rows: [VisitLine] = []
                for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger) {
                    let decoded = try HubRow.decode(PostgresColumns(row))
                    rows.append(VisitLine(decoded.visit, hubSeq: decoded.hubSeq))
                }
                if let page = collector.take(rows) { return page }
            }
        }
    }

    public func visit(_ id: String, scope: Scope) async throws -> VisitDetail {
        try await connectionSnapshot { connection in
            guard let stored = try await self.storedVisits([id], on: connection)[id], scope.covers(commune: stored.visit.commune) else {
                throw HubError.notFound("no visit \(id) in this coordinator's area")
            }
            let people = try await self.conflictPeople(on: connection)
            return Hub.detail(stored, people: people,
                                   conflicts: try await self.conflictLines(status: .all, since: nil, until: nil, scope: scope, id: nil,
                                                                           record: id, people: people, on: connection))
        }
    }
}
