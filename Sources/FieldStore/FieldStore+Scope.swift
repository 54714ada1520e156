import Foundation
import FieldModel
import SyncCore

// Selective sync (Protocol/README.md §7.3, issue 31): a laptop whose team covers villages holds their households and
// visits, the team's visits of no household, and nothing else of its commune.
extension FieldStore {
    /// The villages the hub last named as this laptop's scope; nil while it receives its whole commune.
    public func scopeVillages() throws -> [String]? {
        // Losing the error is safe: a damaged note reads as no villages, which only widens what `progress` shows, and the
        // next pull page writes the note again.
        try read { try setting(SettingKey.scopeVillages).flatMap { try? JSONDecoder().decode([String].self, from: Data($0.utf8)) } }
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
    /// household of other teams — each only once the hub holds its last local write (a pending one is kept and sent).
    func removeOutside(villages: Set<String>) throws {
        let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
        let households = try db.query("SELECT kind, state, id, own_seq FROM kind_records WHERE kind = 'household'") { row in
            (try openRecord(row), row.int64(3))
        }
        var kept = Set<String>()
        for (household, ownSeq) in households {
            if villages.contains(household["village"]?.value.text ?? "") || ownSeq > acked {
                kept.insert(household.id)
                continue
            }
            try db.run("DELETE FROM kind_records WHERE id = ?", [.text(household.id)])
            try purge(record: household.id)
        }
        let team = profile.team
        let visits = try db.query("SELECT \(VisitRow.columns), own_seq FROM visits") { row in (try decodeVisit(row), row.int64("own_seq")) }
        for (stored, ownSeq) in visits where ownSeq <= acked {
            let visit = stored.visit
            let inside = visit.household.map { kept.contains($0) } ?? (visit.team == team)
            guard !inside else { continue }
            try db.run("DELETE FROM visits WHERE id = ?", [.text(visit.id)])
            try purge(record: visit.id)
        }
    }
}
