import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HubCore
import SyncCore
import SyncProtocol
import Testing

/// Households on every engine (issue 31): a list imported once (a preview writes nothing, a second import changes
/// nothing), each team's laptop receiving its village only, coverage and overdue follow-ups counted the same way, a
/// volunteer's deletion of a listed household refused, the operator's erasure reaching the laptop.
@Suite struct HouseholdStorageTests {
    static let list = """
        Thôn;Số nhà;Ngõ;Chủ hộ;Điện thoại;Số người từ 18 tuổi
        Thôn Đông;1;Ngõ 2;Nguyễn Văn Một;0912345678;3
        Thôn Đông;5;Ngõ 2;Trần Thị Hai;;2
        Thôn Tây;9;Đường Cầu;Lê Văn Ba;;4
        """

    @Test(arguments: Backend.available)
    func eachTeamReceivesItsVillageAndTheFiguresAgree(_ backend: Backend) async throws {
        try await backend.withHubs(2) { hubs in
            let dir = TemporaryDirectory()
            _ = try await hubs[0].saveVillage(Village(commune: "00004", name: "Thôn Đông", team: "T-01"), scope: Scope(), by: "hai")
            _ = try await hubs[0].saveVillage(Village(commune: "00004", name: "Thôn Tây", team: "T-02"), scope: Scope(), by: "hai")
            let list = try HouseholdList(rows: SheetRows.csv(Self.list))
            let preview = try await hubs[0].importHouseholds(list, commune: "00004", scope: Scope(), by: "hai", apply: false)
            #expect(preview.created == 3 && !preview.applied)
            #expect(try await hubs[1].households(in: Scope(commune: "00004"), village: nil).isEmpty, "a preview writes nothing")
            let imported = try await hubs[0].importHouseholds(list, commune: "00004", scope: Scope(), by: "hai", apply: true)
            #expect(imported.created == 3 && imported.applied)
            let again = try await hubs[1].importHouseholds(list, commune: "00004", scope: Scope(), by: "hai", apply: true)
            #expect(again.created == 0 && again.updated == 0 && again.unchanged == 3)
            await #expect(throws: HubError.self, "a commune outside the account's area") {
                try await hubs[0].importHouseholds(list, commune: "00004", scope: Scope(commune: "00008"), by: "x", apply: true)
            }

            let east = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Đông", team: "T-01")
            let west = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Tây", team: "T-02")
            try await east.pull(via: hubs[1]) { try $0.households().count == 2 }
            try await west.pull(via: hubs[1]) { try $0.households().count == 1 }
            #expect(try east.store.households().allSatisfy { $0["village"]?.value.text == "Thôn Đông" })
            #expect(try west.store.scopeVillages() == ["Thôn Tây"])

            let one = try east.store.household(named: "nguyen van mot").id
            var failed = VisitDraft(service: .vneidLevel2, outcome: .failed, citizenName: "Nguyễn Văn Một", reason: .otpNotReceived)
            failed.extra = ["household": .text(one),
                            "followUpOn": .text(VietnamTime.start(ofDay: VietnamTime.day(of: Date().addingTimeInterval(-86_400))) ?? "")]
            _ = try east.store.log(failed)
            _ = try west.store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Phạm Thị Tư"))
            try await east.push(via: hubs[0])
            try await west.push(via: hubs[1])
            try await east.pull(via: hubs[1]) { _ in true }
            try await west.pull(via: hubs[0]) { _ in true }
            #expect(try east.store.visits().map(\.visit.citizenName) == ["Nguyễn Văn Một"], "west's visit of no household stays with its team")
            #expect(try west.store.visits().map(\.visit.citizenName) == ["Phạm Thị Tư"], "east's visit of a Thôn Đông household stays in Thôn Đông")

            let lines = try await hubs[1].coverageLines(in: Scope(commune: "00004"), now: Date())
            let east_ = try #require(lines.first { $0.village == "Thôn Đông" })
            #expect(east_.households == 2 && east_.visited == 1 && east_.adults == 5 && east_.overdue == 1 && east_.level2Done == 0)
            #expect(lines.first { $0.village == "Thôn Tây" }?.visited == 0)
            let overdue = try await hubs[0].overdueFollowUps(in: Scope(province: "01"), now: Date(), limit: 10)
            #expect(overdue.map(\.team) == ["T-01"] && overdue.first?.village == "Thôn Đông")
            #expect(try east.store.coverage().first { $0.village == "Thôn Đông" } == east_, "the laptop counts by the same rules")

            // A volunteer may not delete a household of the commune's list; the operator may erase one.
            _ = try east.store.deleteRecord(try east.store.kind("household"), one)
            let refused = try await east.push(via: hubs[0])
            #expect(refused.rejected.count == 1 && refused.rejected.first?.message.contains("coordinator") == true, "\(refused.rejected)")
            let two = try east.store.household(named: "tran thi hai").id
            let erased = try await hubs[1].removeHousehold(String(two.suffix(8)), erase: true, scope: Scope(commune: "00004"), by: "hai")
            #expect(erased["head"]?.value == .text(Visit.erasedName))
            try await east.pull(via: hubs[0]) { try $0.record(of: "household", two)["head"]?.value == .text(Visit.erasedName) }
            #expect(try east.store.record(of: "household", two)["phone"]?.value ?? .null == .null)

            // The console's cache gives the same lines, and counts a commune again once something in it changed.
            let cache = CoverageCache()
            #expect(try await cache.lines(in: Scope(province: "01"), now: Date(), storage: hubs[0])
                    == (try await hubs[1].coverageLines(in: Scope(province: "01"), now: Date())))
            var visit = VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Trần Thị Hai")
            visit.extra = ["household": .text(two)]
            _ = try east.store.log(visit)
            try await east.push(via: hubs[1])
            let after = try await cache.lines(in: Scope(province: "01"), now: Date(), storage: hubs[0])
            #expect(after.first { $0.village == "Thôn Đông" }?.visited == 2 && after.first { $0.village == "Thôn Đông" }?.level2Done == 1)
        }
    }
}
