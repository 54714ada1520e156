import FieldModel
import FieldSyncTesting
import Foundation
import HubCore
import SyncProtocol
import Testing

/// A commune's villages and the teams that cover them (issue 31), on every engine: added and seen by every hub process,
/// found by code or by name without diacritics, re-assigned in place, kept inside the account's area, removed; audited.
@Suite struct VillageStorageTests {
    @Test(arguments: Backend.available)
    func villagesAreKeptPerCommuneAndFoundWithoutDiacritics(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let commune = Scope(commune: "00004")
            let dong = try await hubs[0].saveVillage(Village(commune: "00004", name: "Thôn Đông", team: "T-01"), scope: commune, by: "hai")
            _ = try await hubs[0].saveVillage(Village(commune: "00004", name: "Tổ dân phố số 5", code: "TDP05"), scope: commune, by: "hai")
            #expect(dong == Village(commune: "00004", name: "Thôn Đông", team: "T-01"))
            #expect(try await hubs[1].villages(in: commune).map(\.name) == ["Thôn Đông", "Tổ dân phố số 5"])

            // Found by name without diacritics or by code; a new team replaces the old one in place.
            var five = try await hubs[1].village(named: "to dan pho so 5", commune: "00004", scope: commune)
            let byCode = try await hubs[1].village(named: "tdp05", commune: "00004", scope: commune)
            #expect(five.code == "TDP05" && byCode == five)
            five.team = "T-02"
            _ = try await hubs[1].saveVillage(five, scope: commune, by: "hai")
            #expect(try await hubs[0].villages(in: commune).map(\.team) == ["T-01", "T-02"])
            await #expect(throws: HubError.self, "a village it does not have") {
                try await hubs[0].village(named: "Thôn Tây", commune: "00004", scope: commune)
            }

            // Outside the account's area, a bad team or an empty name: refused, nothing stored.
            await #expect(throws: HubError.self) {
                try await hubs[0].saveVillage(Village(commune: "00008", name: "Thôn Bắc"), scope: commune, by: "hai")
            }
            await #expect(throws: InputError.self) {
                try await hubs[0].saveVillage(Village(commune: "00004", name: "Thôn Bắc", team: "đội 1"), scope: commune, by: "hai")
            }
            await #expect(throws: InputError.self) { try await hubs[0].saveVillage(Village(commune: "00004", name: "  "), scope: commune, by: "hai") }
            #expect(try await hubs[1].villages(in: Scope()).count == 2)

            try await hubs[1].removeVillage(try await hubs[1].village(named: "Thon Dong", commune: "00004", scope: commune), scope: commune, by: "hai")
            #expect(try await hubs[0].villages(in: commune).map(\.name) == ["Tổ dân phố số 5"])
            let lines = try await hubs[0].auditEntries(after: 0, limit: 100).entries.filter { $0.action == "village" }
            #expect(lines.count == 4, "three saves and a removal")
        }
    }
}
