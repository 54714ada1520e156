import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HubCore
import HubServer
import Localization
import SyncCore
import SyncProtocol
import Testing

/// Review in the console (issue 33): a coordinator returns a visit with a comment, the volunteer's laptop has it after
/// its sync (the words the app and `fieldsync review` show), the volunteer corrects it, the console shows it came back,
/// the coordinator accepts it; a return without words and a review outside the area are refused.
@Suite struct ConsoleReviewTests {
    @Test func aReturnedVisitComesBackCorrectedAndIsAccepted() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        let visit = try #require(try hub.lan.store.visits().first { $0.visit.citizenName == "Lê Thị Cúc" }?.visit.id)
        let outside = try #require(try hub.other.store.visits().first?.visit.id)
        let code = hub.code
        let cookies = try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let page = try await browser.go("/console/visits/\(visit)")
            #expect(page.html.contains("id=\"review-form\"") && page.html.contains(Catalogue(.vietnamese)["review_none"]))
            let token = try await browser.csrf(on: "/console/visits/\(visit)")
            let empty = try await browser.go("/console/visits/\(visit)/review", method: .post, form: ["csrf": token, "state": "needs-correction", "comment": " "])
            #expect(empty.status == 400, "a return says what to correct")
            let elsewhere = try await browser.go("/console/visits/\(outside)/review", method: .post, form: ["csrf": token, "state": "rejected", "comment": "trùng"])
            #expect(elsewhere.status == 404, "a visit outside the area")
            let forged = try await browser.go("/console/visits/\(visit)/review", method: .post, form: ["state": "accepted"])
            #expect(forged.status == 403, "without the form token")
            let returned = try await browser.go("/console/visits/\(visit)/review", method: .post,
                                                form: ["csrf": token, "state": "needs-correction", "comment": "ghi lại số điện thoại"])
            #expect(returned.status == 303)
            return browser.cookies
        }

        // The laptop's sync brings it: the volunteer sees the comment.
        let lan = hub.lan
        try await lan.pull(via: hub.service) { !(try $0.needsCorrection().isEmpty) }
        let asked = try lan.store.needsCorrection()
        #expect(asked.map(\.visit.visit.id) == [visit] && asked.first?.review.comment == "ghi lại số điện thoại")
        var fix = VisitChanges()
        fix.note = "đã ghi lại số điện thoại"
        _ = try lan.store.edit(visit, fix)
        #expect(try lan.store.needsCorrection().isEmpty, "corrected: no longer asked")
        try await lan.push(via: hub.service)

        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            browser.cookies = cookies
            let back = try await browser.go("/console/visits/\(visit)")
            #expect(back.html.contains(Catalogue(.vietnamese)["review_resubmitted"]), "the console shows it came back")

            let token2 = try await browser.csrf(on: "/console/visits/\(visit)")
            let accepted = try await browser.go("/console/visits/\(visit)/review", method: .post, form: ["csrf": token2, "state": "accepted", "comment": ""])
            #expect(accepted.status == 303)
            let after = try await browser.go("/console/visits/\(visit)")
            #expect(after.html.contains(Catalogue(.vietnamese).review("accepted")) && !after.html.contains(Catalogue(.vietnamese)["review_resubmitted"]))
            // Exports carry the decision.
            let csv = try await browser.go("/console/exports/visits.csv").html
            #expect(csv.split(separator: "\r\n").contains { $0.hasPrefix(visit) && $0.hasSuffix(",accepted") }, "\(csv)")
        }
    }

    /// The queue: the area's visits not reviewed or returned; one decision for the ticked ones; accepted ones leave it.
    @Test func theQueueTakesOneDecisionForTheTickedVisits() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        let visits = try hub.lan.store.visits().map(\.visit.id)
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let queue = try await browser.go("/console/visits?review=queue")
            #expect(visits.allSatisfy { queue.html.contains("name=\"v.\($0)\"") }, "both visits of the area wait")
            #expect(queue.html.components(separatedBy: "class=\"pick\"").count == 3, "and only those (not 00008's)")
            let token = try await browser.csrf(on: "/console/visits?review=queue")
            let none = try await browser.go("/console/review", method: .post, form: ["csrf": token, "state": "accepted"])
            #expect(none.status == 400, "nothing ticked")
            let done = try await browser.go("/console/review", method: .post, form: ["csrf": token, "state": "accepted", "v.\(visits[0])": "1"])
            #expect(done.status == 303)
            let after = try await browser.go("/console/visits?review=queue")
            #expect(!after.html.contains("name=\"v.\(visits[0])\"") && after.html.contains("name=\"v.\(visits[1])\""), "the accepted one left the queue")
        }
    }

    /// The verification sample: a seed is drawn once and kept in the address (the same visits on reload), the phone is
    /// shown for the call, a decision goes back to the same sample, and a forged way back leads only to the queue.
    @Test func theSampleStaysForTheCallsAndDecisionsReturnToIt() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        for n in 0..<30 {
            _ = try hub.lan.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: "Người Số \(n)",
                                                 phone: try PhoneNumber(validating: "09123456\(10 + n)")))
        }
        try await hub.lan.push(via: hub.service)
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let drawn = try await browser.go("/console/visits?review=sample&percent=10")
            #expect(drawn.status == 302)
            let address = try #require(drawn.headers[.location])
            #expect(address.contains("seed=") && address.contains("percent=10"))
            let page = try await browser.go(address)
            let picks = page.html.components(separatedBy: "class=\"pick\"").count - 1
            #expect(picks == 4, "10 % of 32 visits, rounded up")
            #expect(page.html.contains("id=\"sample\"") && page.html.contains("class=\"phone\">09123456"))
            #expect(try await browser.go(address).html == page.html, "the same sample on reload")
            #expect(try await browser.go("/console/visits?review=sample&percent=0").status == 400)

            let token = try await browser.csrf(on: address)
            let first = try #require(page.html.range(of: #"name="v\.[0-9a-f-]{36}""#, options: .regularExpression))
            let id = String(page.html[first].dropFirst(8).dropLast())
            let back = String(address.drop { $0 != "/" })
            let decided = try await browser.go("/console/review", method: .post, form: ["csrf": token, "state": "accepted", "v.\(id)": "1", "back": back])
            #expect(decided.status == 303 && decided.headers[.location] == back)
            for forged in ["https://evil.example/console/visits?", "//evil.example/console/visits?x", "/console/visits?a=//evil"] {
                let elsewhere = try await browser.go("/console/review", method: .post, form: ["csrf": token, "state": "accepted", "v.\(id)": "1", "back": forged])
                #expect(elsewhere.headers[.location] == "/console/visits?review=queue", "\(forged)")
            }
        }
    }

    /// Training sessions are reviewed on their page: a rejected one leaves the people trained, and the page says why.
    @Test func aRejectedSessionLeavesThePeopleTrained() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        let session = try hub.lan.store.logRecord(try hub.lan.store.kind("session"), [
            "heldAt": .text(ISODate.format(Date())), "place": .text("Thôn Đông"), "topic": .text("online-safety"),
            "trainers": .text("Nguyễn Văn An"), "attendees": .int(27),
        ]).id
        try await hub.lan.push(via: hub.service)
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let before = try await browser.go("/console/sessions")
            #expect(before.html.contains("<b>27</b>") && before.html.contains("name=\"v.\(session)\""))
            let token = try await browser.csrf(on: "/console/sessions")
            let rejected = try await browser.go("/console/review", method: .post, form: [
                "csrf": token, "state": "rejected", "comment": "buổi này không diễn ra", "v.\(session)": "1", "back": "/console/sessions?",
            ])
            #expect(rejected.status == 303 && rejected.headers[.location] == "/console/sessions?")
            let after = try await browser.go("/console/sessions")
            #expect(!after.html.contains("<b>27</b>") && after.html.contains("buổi này không diễn ra"), "rejected: counted in no total, the reason shown")
        }
        let totals = try await hub.service.kindTotals("session", scope: Scope())
        #expect(totals.isEmpty, "\(totals)")
    }

    /// The quality page names each flag's rule in words and links its visits (issue 33).
    @Test func theQualityPageTellsEachFlag() async throws {
        let hub = try await ConsoleRouteTests.Hub()
        let odd = try hub.lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .failed, citizenName: "Đỗ Văn Nam", reason: .otpNotReceived,
                                                   note: "kích hoạt xong")).visit.id
        try await hub.lan.push(via: hub.service)
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = ConsoleRouteTests.Browser(client)
            try await browser.joinAsHai(code)
            let page = try await browser.go("/console/quality")
            #expect(page.status == 200)
            #expect(page.html.contains(Catalogue(.vietnamese)["quality_rule_note_contradicts"]) && page.html.contains("/console/visits/\(odd)"))
            #expect(!page.html.contains(Catalogue(.vietnamese)["quality_rule_burst"]), "nothing else is flagged")
        }
    }
}
