import FieldModel
import Foundation

/// Reasons to look again at some visits (issue 33): not accusations, each names its rule, its figures and its visits.
public struct QualityFlag: Sendable, Equatable, Codable {
    /// The rule: `burst`, `shared-phone`, `night`, `same-name`, `failed-rate`, `note-contradicts`.
    public var rule: String
    /// Who or what it is about: a volunteer, a phone number (masked), a visit.
    public var subject: String
    /// The figures behind it (e.g. "12 done VNeID level-2 visits within 15 min").
    public var figures: [String: Int]
    /// The visits it points at, newest first (at most 50).
    public var visits: [String]
}

/// The rules' thresholds; the defaults are the examples.
public struct QualityRules: Sendable, Equatable, Codable {
    /// More than this many done VNeID level-2 visits by one volunteer within `burstMinutes`.
    public var burstVisits = 10
    public var burstMinutes = 15
    /// One phone number on at least this many different citizens (names without diacritics).
    public var sharedPhoneCitizens = 3
    /// Visits dated from this hour to `nightEnd` (Vietnam time) are at night.
    public var nightStart = 22
    public var nightEnd = 5
    /// At least this many visits of one volunteer with the same name (without diacritics) and no CCCD.
    public var sameNameNoID = 5
    /// A volunteer with at least `rateMinimumVisits` visits whose failed share differs from the team's by more than
    /// `rateGapPercent` points.
    public var rateMinimumVisits = 20
    public var rateGapPercent = 30
    /// Words of a note that say the job was done, on a failed visit; and words of failure on a done one.
    public var doneWords = ["xong", "thanh cong", "da kich hoat", "hoan thanh"]
    public var failureWords = ["khong duoc", "that bai", "chua kich hoat", "khong nhan duoc", "chua xong"]

    public init() {}
}

/// The flags of a set of visits, computed at the hub.
public enum QualityCheck {
    /// The flags of `visits` by `rules`: bursts per volunteer, phones on many citizens, night visits, notes against outcomes.
    public static func flags(_ visits: [Visit], rules: QualityRules = QualityRules()) -> [QualityFlag] {
        var flags: [QualityFlag] = []
        let live = visits.filter { !$0.deleted }

        // Bursts: a window of `burstMinutes` holding more than `burstVisits` done level-2 activations of one volunteer.
        let window = TimeInterval(rules.burstMinutes * 60)
        for (volunteer, own) in Dictionary(grouping: live.filter { $0.service == .vneidLevel2 && $0.outcome == .done }, by: \.volunteer) {
            let sorted = own.sorted { $0.visitedAt < $1.visitedAt }
            var start = 0, best = (count: 0, from: 0, to: 0)
            for end in sorted.indices {
                while sorted[end].visitedAt.timeIntervalSince(sorted[start].visitedAt) > window { start += 1 }
                if end - start + 1 > best.count { best = (end - start + 1, start, end) }
            }
            if best.count > rules.burstVisits {
                flags.append(QualityFlag(rule: "burst", subject: volunteer, figures: ["visits": best.count, "minutes": rules.burstMinutes],
                                         visits: sorted[best.from...best.to].reversed().prefix(50).map(\.id)))
            }
        }

        // One phone on many citizens.
        for (phone, own) in Dictionary(grouping: live.filter { $0.phone != nil }, by: { $0.phone ?? "" }) {
            let citizens = Set(own.map { VietnameseText.fold($0.citizenName) })
            if citizens.count >= rules.sharedPhoneCitizens {
                flags.append(QualityFlag(rule: "shared-phone", subject: String(phone.prefix(3)) + "…" + String(phone.suffix(3)),
                                         figures: ["citizens": citizens.count, "visits": own.count],
                                         visits: own.sorted { $0.visitedAt > $1.visitedAt }.prefix(50).map(\.id)))
            }
        }

        // At night, Vietnam time.
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = VietnamTime.zone
        let night = live.filter { visit in
            let hour = calendar.component(.hour, from: visit.visitedAt)
            return rules.nightStart > rules.nightEnd ? (hour >= rules.nightStart || hour < rules.nightEnd)
                : (hour >= rules.nightStart && hour < rules.nightEnd)
        }
        for (volunteer, own) in Dictionary(grouping: night, by: \.volunteer) {
            flags.append(QualityFlag(rule: "night", subject: volunteer, figures: ["visits": own.count, "from": rules.nightStart, "to": rules.nightEnd],
                                     visits: own.sorted { $0.visitedAt > $1.visitedAt }.prefix(50).map(\.id)))
        }

        // Many visits with the same name and no ID, by one volunteer.
        for (key, own) in Dictionary(grouping: live.filter { $0.citizenID == nil }, by: { $0.volunteer + "|" + VietnameseText.fold($0.citizenName) })
        where own.count >= rules.sameNameNoID {
            flags.append(QualityFlag(rule: "same-name", subject: String(key.split(separator: "|").first ?? ""), figures: ["visits": own.count],
                                     visits: own.sorted { $0.visitedAt > $1.visitedAt }.prefix(50).map(\.id)))
        }

        // A failed rate far from the team's.
        for members in Dictionary(grouping: live, by: \.team).values {
            let teamRate = Double(members.filter { $0.outcome == .failed }.count) / Double(max(1, members.count))
            for (volunteer, own) in Dictionary(grouping: members, by: \.volunteer) where own.count >= rules.rateMinimumVisits {
                let rate = Double(own.filter { $0.outcome == .failed }.count) / Double(own.count)
                guard abs(rate - teamRate) * 100 > Double(rules.rateGapPercent) else { continue }
                flags.append(QualityFlag(rule: "failed-rate", subject: volunteer,
                                         figures: ["percent": Int((rate * 100).rounded()), "team": Int((teamRate * 100).rounded()), "visits": own.count],
                                         visits: own.filter { $0.outcome == .failed }.sorted { $0.visitedAt > $1.visitedAt }.prefix(50).map(\.id)))
            }
        }

        // A note that says the opposite of the outcome.
        for visit in live where !visit.note.isEmpty {
            let note = VietnameseText.fold(visit.note)
            let says = { (words: [String]) in words.contains { note.contains(VietnameseText.fold($0)) } }
            if (visit.outcome == .failed && says(rules.doneWords) && !says(rules.failureWords)) || (visit.outcome == .done && says(rules.failureWords)) {
                flags.append(QualityFlag(rule: "note-contradicts", subject: visit.volunteer, figures: [:], visits: [visit.id]))
            }
        }
        return flags.sorted { ($0.rule, $0.subject) < ($1.rule, $1.subject) }
    }
}
