#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SyncCore

extension FieldStore {
    /// The team's coverage by village from what this laptop holds: the villages the hub named as its scope (else those
    /// of the households that name its team, else every village), and a line for the team's visits of no household.
    public func coverage(now: Date = Date()) throws -> [CoverageLine] {
        let households = try self.households()
        let team = profile.team
        let commune = try scopeCommune()
        let covered: [RecordState]
        if let villages = try scopeVillages().map(Set.init) {
            covered = households.filter { villages.contains($0["village"]?.value.text ?? "") }
        } else {
            let teamHouseholds = households.filter { $0["team"]?.value.text == team }
            covered = teamHouseholds.isEmpty ? households : teamHouseholds
        }
        let village = Dictionary(covered.map { ($0.id, $0["village"]?.value.text ?? "") }) { first, _ in first }
        let visits = try self.visits().filter { stored in
            stored.visit.household.map { village[$0] != nil } ?? (stored.visit.team == team)
        }
        var lines: [String: CoverageLine] = [:]
        func line(_ name: String) -> CoverageLine { lines[name] ?? CoverageLine(commune: commune, village: name) }
        for household in covered {
            let name = village[household.id] ?? ""
            var entry = line(name)
            entry.households += 1
            if case .int(let n)? = household["adults"]?.value { entry.adults += Int(clamping: n) }
            lines[name] = entry
        }
        var visitedHouseholds = Set<String>()
        var done: [String: Set<String>] = [:], pending: [String: Set<String>] = [:]
        for stored in visits where stored.visit.counted {
            let visit = stored.visit
            if let household = visit.household { visitedHouseholds.insert(household) }
            guard visit.service == .vneidLevel2 else { continue }
            let name = visit.household.flatMap { village[$0] } ?? ""
            let citizen = Self.citizenKey(visit)
            if visit.outcome == .done { done[name, default: []].insert(citizen) }
            if visit.outcome == .pending { pending[name, default: []].insert(citizen) }
        }
        for household in visitedHouseholds {
            guard let name = village[household] else { continue }
            var entry = line(name)
            entry.visited += 1
            lines[name] = entry
        }
        let activated = done.values.reduce(into: Set<String>()) { $0.formUnion($1) }
        for name in Set(done.keys).union(pending.keys) {
            var entry = line(name)
            entry.level2Done = done[name]?.count ?? 0
            entry.level2Pending = pending[name]?.subtracting(activated).count ?? 0
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

    /// Who a visit is for, as the hub tells too: the pseudonym, else the household and name, else the visit alone.
    static func citizenKey(_ visit: Visit) -> String {
        if let hash = visit.citizenID?.keyedHash { return hash }
        if let household = visit.household { return household + "|" + visit.citizenName }
        return visit.id
    }
}
