import SyncCore

/// What a coordinator decided about a record (issue 33).
public enum ReviewState: String, CaseIterable, Sendable, Codable {
    case accepted
    case needsCorrection = "needs-correction"
    case rejected
}

/// A record's review: a merge group of its own (state, comment, reviewer, time) on every reviewed kind, written only by
/// coordinators through the hub (a laptop's push that writes it is refused) and synced back to the laptops like any
/// other registers (Protocol/README.md §12.4).
public struct Review: Sendable, Equatable {
    /// The group's fields, in the kinds' order.
    public static let fields = ["review", "reviewComment", "reviewer", "reviewedAt"]

    public let state: ReviewState
    /// The coordinator's words: what to correct, or why it was rejected.
    public let comment: String?
    /// Who reviewed (the coordinator's login).
    public let reviewer: String
    /// When, canonical UTC.
    public let at: String
    /// The stamp of the review's write.
    public let stamp: Stamp

    /// The review a record carries, or nil when it has none.
    public init?(_ record: RecordState) {
        guard let register = record["review"], let code = register.value.text, let state = ReviewState(rawValue: code) else { return nil }
        self.state = state
        comment = record["reviewComment"]?.value.text.flatMap { $0.isEmpty ? nil : $0 }
        reviewer = record["reviewer"]?.value.text ?? ""
        at = record["reviewedAt"]?.value.text ?? ""
        stamp = register.stamp
    }

    /// Whether `record` was written after this review (a register outside the review group stamped later): a record
    /// that needed correction shows as resubmitted, an accepted one as changed after review.
    public func changedAfter(in record: RecordState) -> Bool {
        record.fields.contains { !Self.fields.contains($0.name) && $0.register.stamp > stamp }
    }

    /// Why a pushed record may not be kept: it writes the review group (a value the hub does not hold, or a newer one)
    /// while only coordinators write it, through the hub. A laptop carrying the hub's own review, as received, passes.
    public static func refusal(_ record: RecordState, over held: RecordState?) -> String? {
        for name in fields {
            guard let incoming = record[name] else { continue }
            if let stored = held?[name], incoming.stamp <= stored.stamp { continue }
            return "field \(name) is written by coordinators at the hub (a review): a laptop may not write it; nothing of this record was saved"
        }
        return nil
    }
}
