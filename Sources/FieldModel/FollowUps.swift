#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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

    /// The open follow-ups among `visits` (each with its raw CCCD where this laptop typed it), nearest first.
    /// A follow-up is closed by a later live visit for the same service of the same citizen: the same household and name
    /// (without diacritics), the same CCCD typed on this laptop, or the same pseudonym. One pass finds the latest live
    /// visit of each citizen and service, a second checks each follow-up against its own citizen's latest.
    public static func open(_ visits: [(visit: Visit, raw: String?)]) -> [(visit: Visit, on: String)] {
        var latest: [String: Visit] = [:]
        for entry in visits where !entry.visit.deleted {
            for key in keys(entry.visit, raw: entry.raw) where latest[key].map({ isLater(entry.visit, than: $0) }) ?? true {
                latest[key] = entry.visit
            }
        }
        var open: [(visit: Visit, on: String)] = []
        for entry in visits {
            guard let on = entry.visit.openFollowUp else { continue }
            let closed = keys(entry.visit, raw: entry.raw).contains { key in latest[key].map { isLater($0, than: entry.visit) } ?? false }
            if !closed { open.append((entry.visit, on)) }
        }
        return open.sorted { ($0.on, $0.visit.id) < ($1.on, $1.visit.id) }
    }

    /// The citizen of a visit for one service, each way it may be recognised: household and name, raw CCCD, pseudonym.
    static func keys(_ visit: Visit, raw: String?) -> [String] {
        var keys: [String] = []
        let service = visit.service.rawValue
        if let household = visit.household { keys.append("h|\(service)|\(household)|\(VietnameseText.fold(visit.citizenName))") }
        if let raw { keys.append("r|\(service)|\(raw)") }
        if let hash = visit.citizenID?.keyedHash { keys.append("p|\(service)|\(hash)") }
        return keys
    }

    /// Whether `visit` comes after `other`: by time, and for two visits of one second by id (UUIDv7 grows with time).
    static func isLater(_ visit: Visit, than other: Visit) -> Bool {
        visit.visitedAt > other.visitedAt || (visit.visitedAt == other.visitedAt && visit.id > other.id)
    }
}
