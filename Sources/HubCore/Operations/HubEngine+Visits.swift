import FieldModel
import Foundation
import SyncProtocol

extension HubEngine {
    /// A page of visits, newest changes first, from one snapshot (the console's visit table).
    public func visits(_ query: VisitQuery) async throws -> VisitPage {
        let (condition, values) = query.condition { _ in "?" }
        let sql = """
            SELECT \(HubRow.columns) FROM records WHERE \(condition) AND hub_seq < ? ORDER BY hub_seq DESC LIMIT ?
            """
        if let sample = query.sample { return try await sampled(query, sample) }
        return try await snapshot { session in
            var collector = VisitCollector(query)
            var resubmitted: Set<String> = []
            while true {
                let rows = try await session.query(sql, values.map { .text($0) } + [
                    .counter(collector.before ?? UInt64(Int64.max)), .integer(collector.batch),
                ]).map { row in
                    let stored = try HubRow.decode(row)
                    if let review = Review(stored.state), review.state == .needsCorrection, review.changedAfter(in: stored.state) {
                        resubmitted.insert(stored.visit.id)
                    }
                    return VisitLine(stored.visit, hubSeq: stored.hubSeq)
                }
                if var page = collector.take(rows) {
                    page.resubmitted = resubmitted.intersection(page.visits.map(\.id))
                    return page
                }
            }
        }
    }

    /// A sample of the visits a query matches (not rejected), ordered by volunteer then newest first.
    private func sampled(_ query: VisitQuery, _ sample: VisitSample) async throws -> VisitPage {
        let (condition, values) = query.condition { _ in "?" }
        return try await snapshot { session in
            let candidates = try await session.query("SELECT id, volunteer, name FROM records WHERE \(condition)", values.map { .text($0) })
                .compactMap { row -> (id: String, volunteer: String)? in
                    let name = VietnameseText.fold(try row.text("name") ?? "")
                    if let wanted = query.name, !name.contains(VietnameseText.fold(wanted)) { return nil }
                    return (id: try row.text("id") ?? "", volunteer: try row.text("volunteer") ?? "")
                }
            let picked = sample.pick(candidates).sorted()
            var lines: [VisitLine] = []
            for start in stride(from: 0, to: min(picked.count, VisitQuery.sampleLimit), by: 500) {
                let ids = picked[start..<min(picked.count, start + 500, VisitQuery.sampleLimit)]
                lines += try await session.query("""
                    SELECT \(HubRow.columns) FROM records WHERE id IN (\(ids.map { _ in "?" }.joined(separator: ", ")))
                    """, ids.map { .text($0) }).map { row in
                    let stored = try HubRow.decode(row)
                    return VisitLine(stored.visit, hubSeq: stored.hubSeq)
                }
            }
            lines.sort { ($0.volunteer, $1.visitedAt, $0.id) < ($1.volunteer, $0.visitedAt, $1.id) }
            return VisitPage(visits: lines, next: nil, searchCut: picked.count > VisitQuery.sampleLimit)
        }
    }

    /// One visit inside a scope, with each field's last writer and its conflict entries (`HubError.notFound` outside it).
    public func visit(_ id: String, scope: Scope) async throws -> VisitDetail {
        try await snapshot { session in
            guard let stored = try await storedVisit(id, in: session), scope.covers(commune: stored.visit.commune) else {
                throw HubError.notFound("no visit \(id) in this coordinator's area")
            }
            let people = try await conflictPeople(in: session)
            return Hub.detail(stored, people: people, conflicts: try await conflictLines(status: .all, since: nil, until: nil, scope: scope,
                                                                                         record: id, people: people, in: session))
        }
    }

    /// The full id of the visit a person named by its id or its first or last 8 or more characters (as laptops and
    /// reports show them), among the visits of `scope` only: a prefix never reveals, nor matches, a visit outside it.
    /// - Throws: `HubError.notFound`, or `.invalidRequest` when several visits of the scope match.
    func visitID(_ text: String, scope: Scope, in session: Session) async throws -> String {
        let key = try Hub.visitKey(text)
        let (inScope, values) = scope.condition()
        let ids = try await session.query("""
            SELECT id FROM records WHERE \(inScope) AND (id = ? OR (id >= ? AND id < ? || 'g') OR substr(id, length(id) - CAST(? AS INTEGER) + 1) = ?)
            LIMIT 5
            """, values + [.text(key), .text(key), .text(key), .integer(key.utf8.count), .text(key)]).map { try $0.text("id") ?? "" }
        return try Hub.oneVisit(ids, named: text)
    }
}
