import FieldModel
import Foundation
import SyncProtocol
import TextSafety

// Villages and residential groups of communes, and the teams that cover them (issue 31), on every engine.
extension HubEngine {
    /// The villages of the communes inside a scope, by commune and name.
    public func villages(in scope: Scope) async throws -> [Village] {
        try await snapshot { session in
            let (place, values) = scope.condition()
            return try await session.query("SELECT commune, name, code, team FROM villages WHERE \(place) ORDER BY commune, name_fold", values)
                .map { row in
                    Village(commune: try row.text("commune") ?? "", name: try row.text("name") ?? "", code: try row.text("code"),
                            team: try row.text("team"))
                }
        }
    }

    /// Adds a village, or updates the one with the same key (its code, else its name without diacritics), in a scope;
    /// audited. Returns it as stored.
    /// - Throws: `HubError.outOfScope` for a commune outside the scope, `InputError`/`HubError.invalidRequest` for bad parts.
    public func saveVillage(_ village: Village, scope: Scope, by actor: String) async throws -> Village {
        let village = try village.validated(catalogue: catalogue)
        guard scope.covers(commune: village.commune) else {
            throw HubError.outOfScope("commune \(village.commune) is outside this account's area")
        }
        let now = clock.now()
        try await transaction { session in
            try await session.execute("""
                INSERT INTO villages (commune, key, name, name_fold, code, team, province, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (commune, key) DO UPDATE SET name = excluded.name, name_fold = excluded.name_fold, code = excluded.code,
                    team = excluded.team, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """, [.text(village.commune), .text(village.key), .text(village.name), .text(VietnameseText.fold(village.name)),
                      .text(village.code), .text(village.team), .text(Hub.province(of: village.commune)), .text(ISODate.format(now)), .text(actor)])
            try await audit([AuditDraft(actor: actor, action: .village, scope: "commune \(village.commune)",
                                        detail: ["village": village.name, "code": village.code ?? "", "team": village.team ?? ""])],
                            now: now, in: session)
        }
        return village
    }

    /// The village of a commune a person names (its code, or its name without diacritics).
    /// - Throws: `HubError.notFound` naming the commune's villages when none matches.
    public func village(named text: String, commune: String, scope: Scope) async throws -> Village {
        let villages = try await self.villages(in: Scope(commune: commune)).filter { scope.covers(commune: $0.commune) }
        guard let found = villages.first(where: { $0.isNamed(by: text) }) else {
            let known = villages.map(\.name).joined(separator: ", ")
            throw HubError.notFound("commune \(commune) has no village \(SafeText.quote(text))" + (known.isEmpty ? "" : ": it has \(known)"))
        }
        return found
    }

    /// Removes a village of a commune inside the scope; audited.
    public func removeVillage(_ village: Village, scope: Scope, by actor: String) async throws {
        guard scope.covers(commune: village.commune) else { throw HubError.outOfScope("commune \(village.commune) is outside this account's area") }
        let now = clock.now()
        try await transaction { session in
            try await session.execute("DELETE FROM villages WHERE commune = ? AND key = ?", [.text(village.commune), .text(village.key)])
            try await audit([AuditDraft(actor: actor, action: .village, scope: "commune \(village.commune)",
                                        detail: ["village": village.name, "removed": "yes"])], now: now, in: session)
        }
    }
}
