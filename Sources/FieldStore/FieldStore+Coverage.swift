import Foundation
import FieldModel
import SyncCore

/// A village's figures as a laptop or the hub counts them (issue 31).
public struct VillageCoverage: Sendable, Equatable, Codable {
    /// The village's name; empty for visits of no household.
    public var village: String
    public var households = 0
    /// Households with at least one live visit.
    public var visited = 0
    public var adults = 0
    /// Citizens whose latest VNeID level-2 visit is pending (applied, not yet activated), or done (activated).
    public var level2Pending = 0
    public var level2Done = 0
    /// Open follow-ups whose day has come (today included), and those past it.
    public var due = 0
    public var overdue = 0

    public init(village: String) { self.village = village }
}

extension FieldStore {
    /// The team's coverage by village from what this laptop holds: the villages of the households the team covers
    /// (every village when no household names a team), and a line for visits of no household.
    public func coverage(now: Date = Date()) throws -> [VillageCoverage] {
        let households = try self.households()
        let team = profile.team
        let teamHouseholds = households.filter { $0["team"]?.value.text == team }
        let covered = teamHouseholds.isEmpty ? households : teamHouseholds
        let village = Dictionary(covered.map { ($0.id, $0["village"]?.value.text ?? "") }) { first, _ in first }
        let visits = try self.visits().filter { stored in
            stored.visit.household.map { village[$0] != nil } ?? (stored.visit.team == team)
        }
        var lines: [String: VillageCoverage] = [:]
        func line(_ name: String) -> VillageCoverage { lines[name] ?? VillageCoverage(village: name) }
        for household in covered {
            let name = village[household.id] ?? ""
            var entry = line(name)
            entry.households += 1
            if case .int(let n)? = household["adults"]?.value { entry.adults += Int(clamping: n) }
            lines[name] = entry
        }
        var visitedHouseholds = Set<String>()
        var latestLevel2: [String: Visit] = [:]
        for stored in visits where !stored.visit.deleted {
            let visit = stored.visit
            if let household = visit.household { visitedHouseholds.insert(household) }
            guard visit.service == .vneidLevel2 else { continue }
            let citizen = Self.citizenKey(visit, raw: stored.rawCitizenID)
            if latestLevel2[citizen].map({ $0.visitedAt < visit.visitedAt }) ?? true { latestLevel2[citizen] = visit }
        }
        for household in visitedHouseholds { if let name = village[household] { lines[name] = { var e = line(name); e.visited += 1; return e }() } }
        for visit in latestLevel2.values {
            let name = visit.household.flatMap { village[$0] } ?? ""
            var entry = line(name)
            if visit.outcome == .pending { entry.level2Pending += 1 }
            if visit.outcome == .done { entry.level2Done += 1 }
            lines[name] = entry
        }
        let today = VietnamTime.day(of: now)
        for item in FollowUps.open(visits.map { ($0.visit, $0.rawCitizenID) }) {
            let day = VietnamTime.day(ofCanonical: item.on) ?? item.on
            guard day <= today else { continue }
            let name = item.visit.household.flatMap { village[$0] } ?? ""
            var entry = line(name)
            if day < today { entry.overdue += 1 } else { entry.due += 1 }
            lines[name] = entry
        }
        return lines.values.sorted { ($0.village.isEmpty ? 1 : 0, VietnameseText.fold($0.village)) < ($1.village.isEmpty ? 1 : 0, VietnameseText.fold($1.village)) }
    }

    /// Who a visit is for, as far as this laptop can tell: the pseudonym, else the CCCD typed here, else the household
    /// and name, else the visit alone.
    static func citizenKey(_ visit: Visit, raw: String?) -> String {
        if let hash = visit.citizenID?.keyedHash { return "p:" + hash }
        if let raw { return "c:" + raw }
        if let household = visit.household { return "h:" + household + "|" + VietnameseText.fold(visit.citizenName) }
        return "v:" + visit.id
    }
}
