import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HubCore
import SyncCore
import SyncProtocol
import Testing

/// Data-quality flags on every engine (issue 33): a burst of implausible activations, one phone on many citizens, a
/// visit at night and a failed visit whose note says it was done are each flagged with their rule and figures; an
/// ordinary day is not.
@Suite struct QualityFlagTests {
    @Test(arguments: Backend.available)
    func implausibleWorkIsFlaggedWithItsReasons(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan", team: "T-01")
            let hoa = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Hoa", team: "T-01")
            let morning = try ISODate.parse("2026-12-01 09:00", timeZone: VietnamTime.zone)
            // Lan: twelve "done" level-2 activations within 11 minutes.
            for n in 0..<12 {
                _ = try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Công Dân \(n)", visitedAt: morning.addingTimeInterval(Double(n) * 60)))
            }
            // Hoa: an ordinary day, one phone on three citizens, a visit at 23:30, a failed visit "kích hoạt xong".
            for n in 0..<5 {
                _ = try hoa.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Người \(n)", visitedAt: morning.addingTimeInterval(Double(n) * 1_800)))
            }
            for name in ["Trần Văn A", "Trần Văn B", "Trần Văn C"] {
                _ = try hoa.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: name, phone: try PhoneNumber(validating: "0912345678"),
                                                 visitedAt: morning.addingTimeInterval(7_200)))
            }
            let late = try hoa.store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Đêm Khuya",
                                                    visitedAt: try ISODate.parse("2026-12-01 23:30", timeZone: VietnamTime.zone))).visit.id
            let contradicted = try hoa.store.log(VisitDraft(service: .vneidLevel2, outcome: .failed, citizenName: "Đỗ Văn Nam", reason: .otpNotReceived,
                                                            note: "kích hoạt xong", visitedAt: morning.addingTimeInterval(9_000))).visit.id
            try await lan.push(via: hubs[0])
            try await hoa.push(via: hubs[0])

            let flags = try await hubs[0].qualityFlags(scope: Scope(commune: "00004"), since: "2026-11-30T00:00:00Z", until: "2026-12-03T00:00:00Z",
                                                       rules: QualityRules())
            let burst = try #require(flags.first { $0.rule == "burst" })
            #expect(burst.subject == "Lan" && burst.figures["visits"] == 12 && burst.visits.count == 12)
            #expect(!flags.contains { $0.rule == "burst" && $0.subject == "Hoa" }, "five activations in two hours are ordinary")
            let phone = try #require(flags.first { $0.rule == "shared-phone" })
            #expect(phone.figures["citizens"] == 3 && phone.subject == "091…678")
            #expect(flags.contains { $0.rule == "night" && $0.visits == [late] })
            #expect(flags.contains { $0.rule == "note-contradicts" && $0.visits == [contradicted] })
            #expect(flags.count == 4, "\(flags.map(\.rule))")

            var strict = QualityRules()
            strict.burstVisits = 12
            #expect(try await !hubs[0].qualityFlags(scope: Scope(commune: "00004"), since: nil, until: nil, rules: strict).contains { $0.rule == "burst" },
                    "the threshold is the rules'")
        }
    }

    /// The rules on visits as the hub reads them: many visits of one name without a CCCD, and a failed rate unlike the
    /// team's (both ways), each only past its threshold.
    @Test func sameNamesAndAnUnusualFailedRateAreFlagged() {
        let start = try? ISODate.parse("2026-12-01 09:00", timeZone: VietnamTime.zone)
        func visit(_ n: Int, _ volunteer: String, _ name: String, _ outcome: Outcome) -> Visit {
            let at = (start ?? Date()).addingTimeInterval(Double(n) * 61)
            return Visit(id: VisitID.make(now: at), service: .eWallet, outcome: outcome, commune: "00004", citizenName: name,
                         reason: outcome == .failed ? .otpNotReceived : nil, visitedAt: at, volunteer: volunteer, team: "T-01")
        }
        var visits = (0..<25).map { visit($0, "An", "Người \($0)", $0 < 20 ? .failed : .done) }
        visits += (25..<50).map { visit($0, "Bình", "Người \($0)", .done) }
        visits += (50..<55).map { visit($0, "Cúc", "Nguyễn Văn A", .done) }
        visits += (55..<59).map { visit($0, "Dũng", "Trần Văn B", .done) }
        let flags = QualityCheck.flags(visits)
        #expect(flags.filter { $0.rule == "same-name" }.map(\.subject) == ["Cúc"], "five of one name flag; four do not")
        let rates = flags.filter { $0.rule == "failed-rate" }
        #expect(rates.map(\.subject) == ["An", "Bình"], "80 % and 0 % against the team's 34 %")
        #expect(rates.first?.figures == ["percent": 80, "team": 34, "visits": 25])
        #expect(!flags.contains { $0.subject == "Dũng" })
    }
}
