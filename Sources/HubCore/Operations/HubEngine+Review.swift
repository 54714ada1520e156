import FieldModel
import Foundation
import RecordKinds
import SyncCore
import SyncProtocol
import TextSafety

/// A review as a coordinator gives it (issue 33).
public struct ReviewDecision: Sendable, Equatable {
    public let state: ReviewState
    /// What to correct (needs correction), why not counted (rejected); optional on acceptance.
    public let comment: String?

    /// - Throws: `HubError.invalidRequest` for a return or a rejection without words, or words too long.
    public init(_ state: ReviewState, comment: String?) throws {
        let trimmed = comment?.trimmingCharacters(in: .whitespacesAndNewlines)
        let words = trimmed?.isEmpty == false ? trimmed : nil
        if state != .accepted, words == nil {
            throw HubError.invalidRequest(state == .rejected ? "a rejection says why (the volunteer reads it)"
                                                             : "a visit returned for correction says what to correct (the volunteer reads it)")
        }
        if let words {
            do {
                _ = try VietnameseText.clean(words, field: "review comment", limit: 500)
            } catch {
                throw HubError.invalidRequest("the comment: \(error)")
            }
        }
        self.state = state
        self.comment = words
    }

    /// The registers a review writes.
    func changes(reviewer: String, at now: Date) -> [String: FieldValue] {
        ["review": .text(state.rawValue), "reviewComment": comment.map { .text($0) } ?? .null, "reviewer": .text(reviewer),
         "reviewedAt": .text(ISODate.format(now))]
    }
}

extension HubEngine {
    /// How the live visits of a report's place and period stand in review, `counted` being the report's counted visits
    /// (every live visit not rejected): only reviewed visits are read, by their index.
    public func reviewCounts(_ filter: ReportFilter, counted: Int) async throws -> ProgressReport.ReviewCounts {
        try await snapshot { session in
            let (place, values) = filter.scope.condition()
            var counts = ProgressReport.ReviewCounts()
            for row in try await session.query("""
                SELECT review, count(*) AS visits FROM records WHERE review IS NOT NULL AND deleted = 0 AND \(place)
                    AND visited_at >= ? AND visited_at < ? GROUP BY review
                """, values + [.text(filter.since ?? ""), .text(filter.until ?? "9999")]) {
                let visits = try row.int("visits")
                switch ReviewState(rawValue: try row.text("review") ?? "") {
                case .accepted: counts.accepted += visits
                case .needsCorrection: counts.returned += visits
                case .rejected: counts.rejected += visits
                case nil: break
                }
            }
            counts.unreviewed = max(0, counted - counts.accepted - counts.returned)
            return counts
        }
    }

    /// Reviews a visit or a record of another kind inside `scope`, as the hub's own write of the review group: it syncs
    /// back to the volunteer's laptop with the next pull, and is audited.
    /// - Throws: `HubError.notFound` for a record outside the scope or unknown.
    public func review(_ id: String, _ decision: ReviewDecision, scope: Scope, by reviewer: String) async throws -> RecordState {
        let now = clock.now()
        return try await transaction { session in
            try await session.lock(records: [id])
            let changes = decision.changes(reviewer: reviewer, at: now)
            let state: RecordState
            let commune: String
            if let current = try await storedVisit(id, in: session), scope.covers(commune: current.visit.commune) {
                state = try await hubWrite(changes, to: current, now: now, validating: false, in: session).state
                commune = current.visit.commune
            } else if let row = try await session.query("SELECT \(KindRecord.columns) FROM kind_records WHERE id = ?", [.text(id)]).first,
                      case let record = try KindRecord.decode(row).state, let place = record["commune"]?.value.text,
                      scope.covers(commune: place), record.kind != "household" {
                var hub = try await hubClock(in: session)
                let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000))
                hub.observe(record, now: millis)
                state = hub.write(changes, to: record, recordID: id, kind: record.kind, now: millis)
                let kind = try await latestKinds(in: session)[record.kind] ?? Self.builtInKind(record.kind)
                _ = try await writeKindRecords([(state, kind, nil)], device: "hub", now: ISODate.format(now), in: session)
                try await session.execute("UPDATE hub SET seq = ?, clock_ms = ?, clock_counter = ?",
                                          [.counter(hub.seq), .counter(hub.clock.millis), .integer(Int64(hub.clock.counter))])
                commune = place
            } else {
                throw HubError.notFound("no record \(SafeText.quote(id)) in this hub's \(scope.text)")
            }
            try await audit([AuditDraft(actor: reviewer, action: .review, scope: "commune \(commune)",
                                        detail: ["record": id, "review": decision.state.rawValue])], now: now, in: session)
            return state
        }
    }
}

extension HubEngine where Self: HubReportStorage {
    /// The progress report: the engine's counts and, for every engine alike, how the visits stand in review.
    public func progressReport(_ filter: ReportFilter, targets: Targets?, citizens: Bool) async throws -> ProgressReport {
        var report = try await progressCounts(filter, targets: targets, citizens: citizens)
        report.review = try await reviewCounts(filter, counted: report.totals.visits)
        return report
    }

    /// The progress report with distinct citizens.
    public func progressReport(_ filter: ReportFilter, targets: Targets?) async throws -> ProgressReport {
        try await progressReport(filter, targets: targets, citizens: true)
    }
}
