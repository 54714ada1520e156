import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import HubCore
import HubServer
import Localization
import RecordKinds
import SyncCore
import SyncProtocol
import Testing

/// Every console page read in Vietnamese and in English: no English string of the catalogue, code shown as data,
/// true/false or UTC time on a Vietnamese page; no Vietnamese string of the catalogue on an English page; every
/// page titled.
@Suite struct ConsoleWordsTests {
    typealias Browser = ConsoleRouteTests.Browser

    @Test(arguments: Language.allCases)
    func everyPageSpeaksThePersonsLanguage(language: Language) async throws {
        let hub = try await ConsoleRouteTests.Hub()
        // A conflict on a visit's note, an edit-vs-delete, a duplicate pair.
        let minh = try await TestLaptop.enrolled(at: hub.service, in: hub.dir, name: "Minh")
        let visit = try #require(try hub.lan.store.visits().first { $0.visit.citizenName == "Trần Văn Bình" }?.visit.id)
        let failed = try #require(try hub.lan.store.visits().first { $0.visit.citizenName == "Lê Thị Cúc" }?.visit.id)
        try await minh.pull(via: hub.service) { try $0.visit(exactly: failed) != nil && $0.visit(exactly: visit) != nil }
        var a = VisitChanges(), b = VisitChanges()
        a.note = "hẹn thứ Hai"
        b.note = "đã xong"
        _ = try hub.lan.store.edit(visit, a)
        _ = try minh.store.edit(visit, b)
        _ = try hub.lan.store.delete(failed)
        _ = try minh.store.edit(failed, a)
        for _ in 0..<2 {
            _ = try hub.lan.store.log(VisitDraft(service: .eWallet, outcome: .pending, citizenName: "Hoàng Văn Em",
                                                 citizenID: try CitizenID(validating: "001203000123"), reason: .otpNotReceived))
        }
        // A training session: the sessions page and the overview count the people trained.
        _ = try hub.lan.store.logRecord(try hub.lan.store.kind("session"), [
            "heldAt": .text(ISODate.format(Date())), "place": .text("Thôn Đông"), "topic": .text("online-safety"),
            "trainers": .text("Nguyễn Văn An"), "attendees": .int(27), "women": .int(15),
        ])
        try await hub.lan.push(via: hub.service)
        try await minh.push(via: hub.service)
        let entries = try await hub.service.conflicts(status: .open, since: nil, until: nil, scope: Scope())
        #expect(entries.count == 2, "a conflict and an edit-vs-delete")
        // A second version of the visit, published at the hub: the kinds page shows its new field and option.
        var next = try RecordKind.builtIn("visit")
        next.version = 2
        next.fields.append(KindField(name: "activatedOnSite", type: .boolean, labels: KindLabels(vi: "Kích hoạt tại chỗ", en: "Activated on site")))
        next.fields[0].options?.append(KindOption(code: "binh-dan-hoc-vu-so", labels: KindLabels(vi: "Bình dân học vụ số", en: "Digital literacy for all")))
        _ = try await hub.service.publishKind(next, by: "Hải")
        // A visit with the published field and option, logged on a laptop that received the version.
        try hub.lan.store.saveHubKinds(try PublishedVisitKind.answer([next]), announced: 1)
        var campaign = VisitDraft(service: try Service(code: "binh-dan-hoc-vu-so", options: try hub.lan.store.serviceOptions()), outcome: .done,
                                  citizenName: "Đỗ Thị Giang")
        campaign.extra = ["activatedOnSite": .bool(true)]
        let published = try hub.lan.store.log(campaign).visit.id
        try await hub.lan.push(via: hub.service)
        _ = try await hub.service.saveVillage(Village(commune: "00004", name: "Thôn Đông", team: "T-01"), scope: Scope(), by: "hai")
        let code = hub.code, lang = language.rawValue
        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            let joinPage = try await browser.go("/console/join?lang=\(lang)")
            let signIn = try await browser.go("/console/sign-in?lang=\(lang)")
            let joined = try await browser.go("/console/join", method: .post,
                                              form: ["code": code, "login": "hai", "passphrase": ConsoleRouteTests.passphrase, "again": ConsoleRouteTests.passphrase])
            try #require(joined.status < 400, "joined the console: \(joined.status) \(Self.text(of: joined.html).prefix(400))")
            _ = try await browser.go("/console/overview?lang=\(lang)")  // the switch sets the language for the next pages
            var pages: [(String, String)] = [("join", joinPage.html), ("sign-in", signIn.html)]
            for path in ["overview", "visits", "visits/\(visit)", "visits/\(failed)", "conflicts?status=all", "conflicts?status=open", "kinds", "sessions", "villages", "coverage", "households", "visits/\(published)",
                         "duplicates", "devices", "quarantine", "exports", "no-such-page"] {
                pages.append((path, try await browser.go("/console/\(path)").html))
            }
            let kindsPage = try #require(pages.first { $0.0 == "kinds" }).1
            #expect(kindsPage.contains(language == .vietnamese ? "Kích hoạt tại chỗ" : "Activated on site")
                        && kindsPage.contains(language == .vietnamese ? "Bình dân học vụ số" : "Digital literacy for all")
                        && kindsPage.contains("Hải"), "the published version is shown")
            let sessionsPage = Self.text(of: try #require(pages.first { $0.0 == "sessions" }).1)
            #expect(sessionsPage.contains("Thôn Đông") && sessionsPage.contains("27") && sessionsPage.contains("Nguyễn Văn An")
                        && sessionsPage.contains(language == .vietnamese ? "Người được tập huấn" : "People trained"), "\(sessionsPage.prefix(1500))")
            let overviewPage = Self.text(of: try #require(pages.first { $0.0 == "overview" }).1).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(overviewPage.contains(language == .vietnamese ? "Người được tập huấn 27" : "People trained 27"), "\(overviewPage.prefix(800))")
            let campaignPage = Self.text(of: try #require(pages.first { $0.0 == "visits/\(published)" }).1)
            #expect(campaignPage.contains(language == .vietnamese ? "Kích hoạt tại chỗ" : "Activated on site")
                        && campaignPage.contains(language == .vietnamese ? "Bình dân học vụ số" : "Digital literacy for all"), "\(campaignPage.prefix(1500))")
            // A village added and given to a team through the page's forms (no script); a nameless one refused in words.
            let villageToken = try await browser.csrf(on: "/console/villages")
            let added = try await browser.go("/console/villages", method: .post,
                                             form: ["csrf": villageToken, "commune": "00004", "name": "Tổ dân phố số 5", "code": "TDP05", "team": "T-02"])
            #expect(added.status == 200 && added.html.contains("Tổ dân phố số 5") && added.html.contains("T-02") && added.html.contains("Thôn Đông"))
            let nameless = try await browser.go("/console/villages", method: .post, form: ["csrf": villageToken, "commune": "00004", "name": " "])
            #expect(nameless.status == 400 && PeopleWords.leaks(in: Self.text(of: nameless.html), language: language).isEmpty, "\(nameless.html.prefix(300))")
            let removed = try await browser.go("/console/villages", method: .post,
                                               form: ["csrf": villageToken, "action": "remove", "commune": "00004", "village": "TDP05"])
            #expect(removed.status == 200 && !removed.html.contains("Tổ dân phố số 5"))
            let programs = try await browser.go("/console/exports/sessions.csv").html
            #expect(programs.contains("id,heldAt,commune,place,topic,trainers,attendees,women,elderly,note,volunteer,team")
                        && programs.contains(",00004,Thôn Đông,online-safety,Nguyễn Văn An,27,15,,,Lan,"), "\(programs)")
            let people = try await browser.go("/console/exports/sessions-people.csv").html
            #expect(people.contains(language == .vietnamese ? "Số người tham dự" : "Attendees") && people.contains(",27,15,"), "\(people)")
            let workbook = try await browser.go("/console/exports/sessions.xlsx")
            #expect(workbook.status == 200 && workbook.html.hasPrefix("PK"))
            let token = try await browser.csrf(on: "/console/conflicts")
            let entry = try #require(entries.first { $0.kind == "conflict" })
            pages.append(("confirm", try await browser.go("/console/conflicts/\(entry.id)/resolve", method: .post,
                                                           form: ["csrf": token, "choice": "fields", "f.note": "incoming"]).html))
            _ = try await browser.go("/console/conflicts/\(entry.id)/resolve", method: .post,
                                     form: ["csrf": token, "choice": "fields", "f.note": "typed", "v.note": "gọi lại thứ Ba", "confirm": "yes"])
            let resolved = try await browser.go("/console/conflicts?status=resolved").html
            pages.append(("resolved", resolved))
            #expect(resolved.contains("class=\"kept\">gọi lại thứ Ba<"), "the page shows the value the resolution kept")
            pages.append(("visit after", try await browser.go("/console/visits/\(visit)").html))
            #expect(pages.last?.1.contains(">hai<") == true, "the hub's write is named by the coordinator who chose it")
            // Dates typed as people write them, whatever the browser's own date field would send.
            let typed = try await browser.go("/console/overview?since=25%2F11%2F2026&until=25%2F11%2F2026")
            let iso = try await browser.go("/console/overview?since=2026-11-25&until=2026-11-25")
            #expect(typed.status == 200 && typed.html.contains("value=\"25/11/2026\"") && Self.text(of: typed.html) == Self.text(of: iso.html))
            let wrong = try await browser.go("/console/overview?since=30%2F02%2F2026")
            #expect(wrong.status == 400 && wrong.html.contains(language == .vietnamese ? "viết như 25/11/2026" : "write it like 25/11/2026"))
            for (path, html) in pages {
                let text = Self.text(of: html)
                let leaks = PeopleWords.leaks(in: text, language: language)
                #expect(leaks.isEmpty, "\(path) (\(lang)): \(leaks.joined(separator: ", "))\n\(text.prefix(2000))")
                let title = html.range(of: "<title>").flatMap { start in
                    html.range(of: "</title>", range: start.lowerBound..<html.endIndex).map { String(html[start.lowerBound..<$0.upperBound]) }
                } ?? ""
                #expect(!title.contains("<title> ·") && title.count > 25, "\(path): the page's title names it (\(title))")
            }
        }
    }

    /// The words a page shows: tags, scripts and styles removed, entities decoded.
    /// The words of a page, tags left out.
    static func text(of html: String) -> String {
        var text = "", inTag = false
        for character in html {
            if character == "<" { inTag = true } else if character == ">" { inTag = false; text.append(" ") } else if !inTag { text.append(character) }
        }
        for (entity, character) in [("&amp;", "&"), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", "\""), ("&#39;", "'")] {
            text = text.replacingOccurrences(of: entity, with: character)
        }
        return text
    }
}
