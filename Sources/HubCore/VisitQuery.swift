import FieldModel
import SyncCore
import SyncProtocol
import Foundation

/// What the console's visit table asks for: a place and period (`filter`), narrower columns, a
/// diacritics-insensitive name search, and a page of the newest changes first.
public struct VisitQuery: Sendable, Equatable {
    /// Place (already limited to the coordinator's scope) and period of visit dates.
    public var filter: ReportFilter
    public var team: String?
    public var volunteer: String?
    public var service: Service?
    public var outcome: Outcome?
    /// Part of the citizen's name, any case and diacritics (`binh` finds `Bình`).
    public var name: String?
    /// Visits changed before this change number (the previous page's `next`), or from the newest.
    public var before: UInt64?
    /// Visits per page.
    public var limit: Int
    /// Only the visits of this citizen pseudonym (`cccd_hash`), deleted ones too when `includeDeleted`.
    public var pseudonym: String?
    /// Deleted visits too (a data subject's request covers them: a tombstone keeps its values).
    public var includeDeleted = false
    /// Only the review queue (issue 33): visits not reviewed, and those returned for correction (resubmitted or not).
    public var toReview = false
    /// Only a random sample of each volunteer's visits (issue 33), ordered by volunteer then date; not paged
    /// (`sampleLimit` rows at most).
    public var sample: VisitSample?

    /// Makes a query.
    public init(filter: ReportFilter = ReportFilter(), team: String? = nil, volunteer: String? = nil, service: Service? = nil,
                outcome: Outcome? = nil, name: String? = nil, before: UInt64? = nil, limit: Int = 50) {
        self.filter = filter
        self.team = team
        self.volunteer = volunteer
        self.service = service
        self.outcome = outcome
        self.name = name
        self.before = before
        self.limit = limit
    }

    /// Rows a name search reads before it answers with what it found (a search over a whole
    /// province is cut there, and says so).
    public static let scanLimit = 50_000
    /// Rows a sample shows at most (a sample cut there says so, as a cut search does).
    public static let sampleLimit = 1_000

    /// The query's SQL condition over `records` (without the name search), with placeholders made by
    /// `placeholder(n)` for the n-th value (`?n` on SQLite, `$n` on PostgreSQL).
    package func condition(placeholder: (Int) -> String) -> (sql: String, values: [String]) {
        var parts = includeDeleted ? ["1 = 1"] : ["deleted = 0"]
        var values: [String] = []
        func add(_ column: String, _ op: String, _ value: String) {
            values.append(value)
            parts.append("\(column) \(op) \(placeholder(values.count))")
        }
        if let commune = filter.commune { add("commune", "=", commune) }
        if let province = filter.province { add("province", "=", province) }
        if let since = filter.since { add("visited_at", ">=", since) }
        if let until = filter.until { add("visited_at", "<", until) }
        if let team { add("team", "=", team) }
        if let volunteer { add("volunteer", "=", volunteer) }
        if let service { add("service", "=", service.rawValue) }
        if let outcome { add("outcome", "=", outcome.rawValue) }
        if let pseudonym { add("cccd_hash", "=", pseudonym) }
        if toReview { parts.append("(review IS NULL OR review = 'needs-correction')") }
        if sample != nil { parts.append("(review IS NULL OR review <> 'rejected')") }
        return (parts.joined(separator: " AND "), values)
    }

    /// Whether a visit's name matches the search.
    func matches(_ line: VisitLine, folded: String?) -> Bool {
        guard let folded else { return true }
        return VietnameseText.fold(line.name).contains(folded)
    }
}

/// One row of the console's visit table.
public struct VisitLine: Sendable, Equatable, Codable {
    public var id: String
    public var hubSeq: UInt64
    public var commune: String
    public var team: String
    public var volunteer: String
    public var service: String
    public var outcome: String
    public var reason: String?
    public var name: String
    public var cccdMasked: String?
    public var phone: String?
    public var note: String
    /// Canonical UTC timestamp.
    public var visitedAt: String
    /// The fields a published version of the visit kind added, by name; nil when the visit has none.
    public var published: [String: FieldValue]?

    /// The row of a stored visit.
    package init(_ visit: Visit, hubSeq: UInt64) {
        id = visit.id
        self.hubSeq = hubSeq
        commune = visit.commune
        team = visit.team
        volunteer = visit.volunteer
        service = visit.service.rawValue
        outcome = visit.outcome.rawValue
        reason = visit.reason?.rawValue
        name = visit.citizenName
        cccdMasked = visit.citizenID?.masked
        phone = visit.phone
        note = visit.note
        visitedAt = ISODate.format(visit.visitedAt)
        published = visit.extra.isEmpty ? nil : visit.extra
    }
}

/// A page of the visit table.
public struct VisitPage: Sendable, Equatable {
    public var visits: [VisitLine]
    /// The `before` of the next page, when there is one.
    public var next: UInt64?
    /// Whether a name search stopped after `VisitQuery.scanLimit` rows (narrow the place or period).
    public var searchCut: Bool
    /// The visits of the page returned for correction and written since (resubmitted, issue 33).
    public var resubmitted: Set<String> = []
}

/// Pages through rows in change order until a page of matches is full or the scan limit is reached.
package struct VisitCollector {
    let query: VisitQuery
    let folded: String?
    let limit: Int
    /// Rows to fetch next (more when a name search filters them).
    package let batch: Int
    /// The change number to fetch rows before, newest first.
    package private(set) var before: UInt64?
    var found: [VisitLine] = []
    var scanned = 0

    package init(_ query: VisitQuery) {
        self.query = query
        folded = query.name.map(VietnameseText.fold).flatMap { $0.isEmpty ? nil : $0 }
        limit = max(1, min(query.limit, 500))
        batch = folded == nil ? limit + 1 : 2_000
        before = query.before
    }

    /// Takes the next `batch` rows (fewer: the last ones); the page once it is complete.
    package mutating func take(_ rows: [VisitLine]) -> VisitPage? {
        scanned += rows.count
        for row in rows where query.matches(row, folded: folded) {
            found.append(row)
            if found.count > limit { return VisitPage(visits: Array(found.prefix(limit)), next: found[limit - 1].hubSeq, searchCut: false) }
        }
        guard rows.count == batch, let last = rows.last else { return VisitPage(visits: found, next: nil, searchCut: false) }
        before = last.hubSeq
        return scanned >= VisitQuery.scanLimit ? VisitPage(visits: found, next: last.hubSeq, searchCut: true) : nil
    }
}

/// A visit with who last wrote each field, and its conflict entries.
public struct VisitDetail: Sendable {
    /// A field's value and its last write.
    public struct FieldLine: Sendable {
        public var field: String
        public var value: FieldValue
        /// Canonical UTC timestamp of the write.
        public var writtenAt: String
        /// The volunteer whose laptop wrote it, or for the hub's own write the coordinator whose resolution it
        /// was; nil for another write of the hub (or a laptop that names no one).
        public var writtenBy: String?
    }
    public var visit: VisitLine
    public var fields: [FieldLine]
    public var conflicts: [MergeReport.ConflictLine]
    /// Its review (issue 33), and whether the visit was written after it (resubmitted, or changed after acceptance).
    public var review: Review?
    public var changedAfterReview = false
}

extension Hub {
    /// The detail of a stored visit: each field with its last writer.
    package static func detail(_ stored: StoredVisit, people: ConflictPeople,
                               conflicts: [MergeReport.ConflictLine]) -> VisitDetail {
        // The hub writes a field when a coordinator resolves a conflict: the latest resolution that wrote it names them.
        let resolvers = conflicts.compactMap(\.resolution).filter { $0.hubSeq != nil }.sorted { $0.at < $1.at }
        let fields = stored.state.fields.compactMap { field in
            people.written(field.register).map { written in
                VisitDetail.FieldLine(field: field.name, value: written.value, writtenAt: written.at,
                                      writtenBy: written.volunteer ?? (written.device == nil
                                          ? resolvers.last { $0.values?[field.name] != nil }?.by : nil))
            }
        }
        let review = Review(stored.state)
        return VisitDetail(visit: VisitLine(stored.visit, hubSeq: stored.hubSeq), fields: fields, conflicts: conflicts, review: review,
                           changedAfterReview: review?.changedAfter(in: stored.state) ?? false)
    }
}
