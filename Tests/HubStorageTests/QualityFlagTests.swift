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

    /// A village whose list is half visited for the first time in one day is flagged with its figures and that day's
    /// visits; the same visits spread over five days are ordinary work.
    @Test(arguments: Backend.available)
    func aVillageCoveredOvernightIsFlagged(_ backend: Backend) async throws {
        try await backend.withHubs(1) { hubs in
            let dir = TemporaryDirectory()
            let list = "Thôn;Số nhà;Chủ hộ;Số người từ 18 tuổi\n" + (1...30).map { "Thôn Đông;\($0);Chủ Hộ Số \($0);2" }.joined(separator: "\n")
                + "\n" + (1...30).map { "Thôn Tây;\($0);Người Tây \($0);2" }.joined(separator: "\n")
            for village in ["Thôn Đông", "Thôn Tây"] {
                _ = try await hubs[0].saveVillage(Village(commune: "00004", name: village, team: "T-01"), scope: Scope(), by: "hai")
            }
            _ = try await hubs[0].importHouseholds(try HouseholdList(rows: SheetRows.csv(list)), commune: "00004", scope: Scope(), by: "hai", apply: true)
            let lan = try await TestLaptop.enrolled(at: hubs[0], in: dir, name: "Lan", team: "T-01")
            try await lan.pull(via: hubs[0]) { try $0.households().count == 60 }
            let morning = try ISODate.parse("2026-12-01 08:00", timeZone: VietnamTime.zone)
            func visit(_ head: String, at: Date) throws {
                var draft = VisitDraft(service: .bankAccount, outcome: .done, citizenName: head, visitedAt: at)
                draft.extra = ["household": .text(try lan.store.household(named: head).id)]
                _ = try lan.store.log(draft)
            }
            // Thôn Đông: 25 of 30 households on 1 December; Thôn Tây: 20 over five days.
            for n in 1...25 { try visit("Chủ Hộ Số \(n)", at: morning.addingTimeInterval(Double(n) * 600)) }
            for n in 1...20 { try visit("Người Tây \(n)", at: morning.addingTimeInterval(Double(n % 5) * 86_400 + Double(n) * 60)) }
            // A household visited three days before: not first visited on 1 December.
            try visit("Chủ Hộ Số 1", at: morning.addingTimeInterval(-86_400 * 3))
            _ = try lan.store.log(VisitDraft(service: .bankAccount, outcome: .done, citizenName: "Ngoài Danh Sách", visitedAt: morning))
            try await lan.push(via: hubs[0])

            let flags = try await hubs[0].qualityFlags(scope: Scope(commune: "00004"), since: nil, until: nil, rules: QualityRules())
            let jumps = flags.filter { $0.rule == "coverage-jump" }
            #expect(jumps.count == 1, "\(jumps)")
            let jump = try #require(jumps.first)
            #expect(jump.subject.hasPrefix("Thôn Đông") && jump.day == "2026-12-01")
            #expect(jump.figures == ["households": 24, "of": 30, "percent": 80], "first visits only; a visit of no household is none")
            #expect(jump.visits.count == 25, "the village's visits of that day")
            var lenient = QualityRules()
            lenient.jumpPercent = 81
            #expect(try await hubs[0].qualityFlags(scope: Scope(commune: "00004"), since: nil, until: nil, rules: lenient)
                .allSatisfy { $0.rule != "coverage-jump" }, "80 % is below an 81 % threshold")
            #expect(try await hubs[0].qualityFlags(scope: Scope(commune: "00004"), since: "2026-12-02T00:00:00Z", until: nil, rules: QualityRules())
                .allSatisfy { $0.rule != "coverage-jump" }, "outside the period")
        }
    }

    /// Thresholds come from a JSON file naming any of them; an unknown name, a value out of range or a wrong type is
    /// refused with what to write.
    @Test func thresholdsAreReadFromJSON() throws {
        let rules = try QualityRules(json: Data(#"{"burstVisits": 15, "doneWords": ["xong"], "jumpPercent": 80}"#.utf8))
        var expected = QualityRules()
        expected.burstVisits = 15
        expected.doneWords = ["xong"]
        expected.jumpPercent = 80
        #expect(rules == expected)
        for (text, words) in [(#"{"burstVisit": 15}"#, "unknown threshold \"burstVisit\""), (#"{"nightStart": 24}"#, "from 0 to 23"),
                              (#"{"burstVisits": true}"#, "whole number"), (#"{"burstVisits": 1.5}"#, "whole number"),
                              (#"{"doneWords": "xong"}"#, "list of words"), (#"{"doneWords": [""]}"#, "list of words"), ("[1]", "one JSON object"),
                              ("{", "one JSON object")] {
            #expect(throws: QualityRulesError.self, "\(text)") { try QualityRules(json: Data(text.utf8)) }
            do {
                _ = try QualityRules(json: Data(text.utf8))
            } catch {
                #expect(error.description.contains(words), "\(text): \(error)")
            }
        }
        let shipped = try QualityRules(file: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Protocol/quality-rules.json").path)
        #expect(shipped == QualityRules(), "the documented file holds the defaults")
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
        // A name with the character an older key joined its parts with: the volunteer is named whole.
        let piped = QualityCheck.flags((59..<64).map { visit($0, "Em|Út", "Lê Thị C", .done) })
        #expect(piped.filter { $0.rule == "same-name" }.map(\.subject) == ["Em|Út"])
        let rates = flags.filter { $0.rule == "failed-rate" }
        #expect(rates.map(\.subject) == ["An", "Bình"], "80 % and 0 % against the team's 34 %")
        #expect(rates.first?.figures == ["percent": 80, "team": 34, "visits": 25])
        #expect(!flags.contains { $0.subject == "Dũng" })
    }
}
