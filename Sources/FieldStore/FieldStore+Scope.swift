#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SyncCore

// Selective sync (Protocol/README.md §7.3, issue 31): a laptop whose team covers villages holds their households and
// visits, the team's visits of no household, and nothing else of its commune.
extension FieldStore {
    /// The villages the hub last named as this laptop's scope; nil while it receives its whole commune.
    public func scopeVillages() throws -> [String]? {
        try read {
            guard let text = try setting(SettingKey.scopeVillages) else { return nil }
            do {
                return try JSONDecoder().decode([String].self, from: Data(text.utf8))
            } catch {
                throw StoreError.damaged(path: path, detail: "the villages noted from the hub cannot be read (\(error)): sync again")
            }
        }
    }

    /// Notes the villages a pull page names (inside the page's transaction). When they differ from those noted before,
    /// removes the households and visits the laptop no longer covers (those whose writes the hub holds) and returns
    /// true: the pull starts over, so the villages newly covered come whole, records below the cursor included.
    func noteScopeVillages(_ villages: [String]?) throws -> Bool {
        let text = try villages.map { String(decoding: try JSONEncoder().encode($0.sorted()), as: UTF8.self) }
        let seen = try setting(SettingKey.scopeVillages)
        guard seen != text else { return false }
        try setSetting(SettingKey.scopeVillages, text)
        if let villages { try removeOutside(villages: Set(villages)) }
        // A laptop that had pulled nothing yet receives its scope from the start anyway.
        return (try setting(SettingKey.pullCursor)).map { $0 != "0" } ?? false
    }

    /// Removes the personal data of households outside `villages`: the households, their visits, and visits of no
    /// household of other teams — each only once the hub holds its last local write (a pending one is kept and sent,
    /// and removed at the end of a later sync: `scope.leftover` says one is left).
    func removeOutside(villages: Set<String>) throws {
        let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
        let visits = try db.query("SELECT \(VisitRow.columns), own_seq FROM visits") { row in (try decodeVisit(row), row.int64("own_seq")) }
        // A household a pending visit names stays with it until both have reached the hub.
        let pending = Set(visits.filter { $0.1 > acked }.compactMap { $0.0.visit.household })
        let households = try db.query("SELECT kind, state, id, own_seq FROM kind_records WHERE kind = 'household'") { row in
            (try openRecord(row), row.int64(3))
        }
        // Covered: households of the villages, and those with a write of this laptop the hub has not acknowledged.
        var covered = Set<String>()
        for (household, ownSeq) in households {
            if villages.contains(household["village"]?.value.text ?? "") || ownSeq > acked {
                covered.insert(household.id)
            } else if !pending.contains(household.id) {
                try db.run("DELETE FROM kind_records WHERE id = ?", [.text(household.id)])
                try purge(record: household.id)
            }
        }
        let team = profile.team
        var leftover = !pending.subtracting(covered).isEmpty
        for (stored, ownSeq) in visits {
            let visit = stored.visit
            guard !(visit.household.map { covered.contains($0) } ?? (visit.team == team)) else { continue }
            guard ownSeq <= acked else {
                leftover = true
                continue
            }
            try db.run("DELETE FROM visits WHERE id = ?", [.text(visit.id)])
            try purge(record: visit.id)
        }
        try setSetting(SettingKey.scopeLeftover, leftover ? "1" : nil)
    }

    /// At the end of a sync: removes what an earlier change of villages left for its pending writes, now pushed.
    func removeLeftovers() throws {
        guard try setting(SettingKey.scopeLeftover) != nil, let villages = try scopeVillages() else { return }
        try removeOutside(villages: Set(villages))
    }

    /// The states of `states` inside this laptop's villages, for what another laptop gives it on a LAN (§9.1, §7.3):
    /// households of its villages, visits of those households, its team's visits of no household, records of other
    /// kinds; all of them while it receives its whole commune.
    public func withinScope(_ states: [RecordState]) throws -> [RecordState] {
        guard let villages = try scopeVillages().map(Set.init) else { return states }
        let inside = { (state: RecordState) in villages.contains(state["village"]?.value.text ?? "") }
        let held = Set(try households().map(\.id)).union(states.filter { $0.kind == "household" && inside($0) }.map(\.id))
        let team = profile.team
        return states.filter { state in
            switch state.kind {
            case "household": return inside(state)
            case RecordState.visitKind:
                guard let household = state["household"]?.value.text, !household.isEmpty else { return state["team"]?.value.text == team }
                return held.contains(household)
            default: return true
            }
        }
    }
}
