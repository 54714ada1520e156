import Foundation
import RecordKinds

/// Follow-ups of visits (issue 31): a visit may say when to come back; a later visit for the same service of the
/// same citizen closes it, as does a volunteer by hand (`followUpClosed`).
public enum FollowUps {
    /// The "come back on" date a visit takes when the volunteer gives none: its reason's `followUpDays` in the visit
    /// kind (FieldSync's own when `kind` is nil), counted in Vietnam days from the visit's day; nil when it has none.
    public static func defaultDate(reason: FailureReason?, visitedAt: Date, kind: RecordKind?) -> String? {
        guard let reason, let kind = kind ?? Visit.builtInKind,
              let days = kind.field(VisitField.reason.rawValue)?.options?.first(where: { $0.code == reason.rawValue })?.followUpDays
        else { return nil }
        return VietnamTime.start(ofDay: VietnamTime.day(of: visitedAt.addingTimeInterval(Double(days) * 86_400)))
    }

    /// Whether `later` closes the follow-up of `earlier`: a later live visit for the same service of the same
    /// citizen — the same household and name (without diacritics), the same CCCD typed on this laptop, or the same
    /// pseudonym.
    public static func closes(_ later: Visit, laterRaw: String?, _ earlier: Visit, earlierRaw: String?) -> Bool {
        // Later: by time, and for two visits of one second (times are kept to the second) by id, which grows with time (UUIDv7).
        guard !later.deleted, later.service == earlier.service,
              later.visitedAt > earlier.visitedAt || (later.visitedAt == earlier.visitedAt && later.id > earlier.id) else { return false }
        if let household = earlier.household, later.household == household,
           VietnameseText.fold(later.citizenName) == VietnameseText.fold(earlier.citizenName) { return true }
        if let raw = earlierRaw, laterRaw == raw { return true }
        if let hash = earlier.citizenID?.keyedHash, later.citizenID?.keyedHash == hash { return true }
        return false
    }

    /// The open follow-ups among `visits` (each with its raw CCCD where this laptop typed it), nearest first.
    public static func open(_ visits: [(visit: Visit, raw: String?)]) -> [(visit: Visit, on: String)] {
        var byService: [Service: [(visit: Visit, raw: String?)]] = [:]
        for entry in visits where !entry.visit.deleted { byService[entry.visit.service, default: []].append(entry) }
        var open: [(visit: Visit, on: String)] = []
        for entry in visits {
            guard let on = entry.visit.openFollowUp else { continue }
            let closed = (byService[entry.visit.service] ?? []).contains { closes($0.visit, laterRaw: $0.raw, entry.visit, earlierRaw: entry.raw) }
            if !closed { open.append((entry.visit, on)) }
        }
        return open.sorted { ($0.on, $0.visit.id) < ($1.on, $1.visit.id) }
    }
}
