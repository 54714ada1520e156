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
    /// The Vietnam day it is about (`coverage-jump`), nil for the others.
    public var day: String?

    /// A flag by its parts.
    public init(rule: String, subject: String, figures: [String: Int], visits: [String], day: String? = nil) {
        self.rule = rule
        self.subject = subject
        self.figures = figures
        self.visits = visits
        self.day = day
    }
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
    public var doneWords = ["xong", "thành công", "đã kích hoạt", "hoàn thành"]
    public var failureWords = ["không được", "thất bại", "chưa kích hoạt", "không nhận được", "chưa xong"]
    /// A village where at least `jumpHouseholds` households, and at least `jumpPercent` % of its list, were visited for
    /// the first time on one day.
    public var jumpHouseholds = 20
    public var jumpPercent = 50

    /// The defaults.
    public init() {}
}

extension QualityRules {
    /// Thresholds read from a JSON object naming any of the fields (`{"burstVisits": 15, "doneWords": ["xong"]}`); the
    /// others keep their defaults. An unknown name or a value out of range is refused with what to write instead.
    public init(json data: Data) throws(QualityRulesError) {
        let object: [String: QualityRulesValue]
        do {
            object = try JSONDecoder().decode([String: QualityRulesValue].self, from: data)
        } catch {
            throw QualityRulesError("the file must hold one JSON object of thresholds, e.g. {\"burstVisits\": 15}")
        }
        self.init()
        let counts: [String: (WritableKeyPath<QualityRules, Int>, ClosedRange<Int>)] = [
            "burstVisits": (\.burstVisits, 1...10_000), "burstMinutes": (\.burstMinutes, 1...1_440),
            "sharedPhoneCitizens": (\.sharedPhoneCitizens, 2...10_000), "nightStart": (\.nightStart, 0...23), "nightEnd": (\.nightEnd, 0...23),
            "sameNameNoID": (\.sameNameNoID, 2...10_000), "rateMinimumVisits": (\.rateMinimumVisits, 1...100_000),
            "rateGapPercent": (\.rateGapPercent, 1...100), "jumpHouseholds": (\.jumpHouseholds, 1...100_000), "jumpPercent": (\.jumpPercent, 1...100),
        ]
        let words: [String: WritableKeyPath<QualityRules, [String]>] = ["doneWords": \.doneWords, "failureWords": \.failureWords]
        for (name, value) in object.sorted(by: { $0.key < $1.key }) {
            if let (path, range) = counts[name] {
                guard case .number(let number) = value, range.contains(number) else {
                    throw QualityRulesError("\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
                }
                self[keyPath: path] = number
            } else if let path = words[name] {
                guard case .words(let list) = value, list.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
                    throw QualityRulesError("\(name) must be a list of words, e.g. [\"xong\", \"thành công\"]")
                }
                self[keyPath: path] = list
            } else {
                throw QualityRulesError("unknown threshold \"\(name.prefix(40))\": use " + (Array(counts.keys) + Array(words.keys)).sorted().joined(separator: ", "))
            }
        }
    }
}

extension QualityRules {
    /// Thresholds read from a JSON file (see `init(json:)`), refused with the file's name when it cannot be read.
    public init(file path: String) throws(QualityRulesError) {
        let url = URL(fileURLWithPath: path)
        let size = (try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize) ?? 0  // Unknown size: the read below says why.
        guard size <= 65_536, let data = try? Data(contentsOf: url) else {  // The message names the file; the cause is one of these.
            throw QualityRulesError("cannot read the thresholds file \(path): give a readable JSON file of at most 64 KiB")
        }
        do {
            try self.init(json: data)
        } catch {
            throw QualityRulesError("\(path): \(error.description)")
        }
    }
}

/// A value of a thresholds file: a whole number, a list of words, or something else (refused by name).
enum QualityRulesValue: Decodable {
    case number(Int), words([String]), other

    init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer()
        if let number = try? value.decode(Int.self) {  // Not a number: tried as words next, then refused by name.
            self = .number(number)
        } else if let words = try? value.decode([String].self) {  // Not words either: refused by name.
            self = .words(words)
        } else {
            self = .other
        }
    }
}

/// Why a thresholds file was refused.
public struct QualityRulesError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

/// A household of a list with its first counted visit (canonical UTC; nil when never visited).
public struct FirstVisit: Sendable, Equatable {
    public var commune: String
    public var village: String
    public var at: String?

    /// A household's village and first visit.
    public init(commune: String, village: String, at: String?) {
        self.commune = commune
        self.village = village
        self.at = at
    }
}

/// A village whose coverage jumped in one Vietnam day: `households` of its `listed` ones visited for the first time.
public struct CoverageJump: Sendable, Equatable {
    public var commune: String
    public var village: String
    public var day: String
    public var households: Int
    public var listed: Int
}

/// The flags of a set of visits, computed at the hub.
public enum QualityCheck {
    /// The villages of `households` where, on one Vietnam day of the period [`since`, `until`), at least
    /// `rules.jumpHouseholds` households and `rules.jumpPercent` % of the list were visited for the first time (the
    /// day with the most such households, per village).
    public static func coverageJumps(_ households: [FirstVisit], since: String?, until: String?, rules: QualityRules) -> [CoverageJump] {
        var jumps: [CoverageJump] = []
        for (key, list) in Dictionary(grouping: households, by: { Pair($0.commune, $0.village) }) {
            var perDay: [String: Int] = [:]
            for first in list {
                guard let at = first.at, at >= (since ?? ""), at < (until ?? "9999"), let day = VietnamTime.day(ofCanonical: at) else { continue }
                perDay[day, default: 0] += 1
            }
            guard let (day, count) = perDay.max(by: { ($0.value, $1.key) < ($1.value, $0.key) }),
                  count >= rules.jumpHouseholds, count * 100 >= rules.jumpPercent * list.count else { continue }
            jumps.append(CoverageJump(commune: key.first, village: key.second, day: day, households: count, listed: list.count))
        }
        return jumps.sorted { ($0.commune, $0.village) < ($1.commune, $1.village) }
    }

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
        for (key, own) in Dictionary(grouping: live.filter { $0.citizenID == nil }, by: { Pair($0.volunteer, VietnameseText.fold($0.citizenName)) })
        where own.count >= rules.sameNameNoID {
            flags.append(QualityFlag(rule: "same-name", subject: key.first, figures: ["visits": own.count],
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

/// Two texts as one grouping key (no separator that a name could contain).
private struct Pair: Hashable {
    let first: String, second: String
    init(_ first: String, _ second: String) { (self.first, self.second) = (first, second) }
}
