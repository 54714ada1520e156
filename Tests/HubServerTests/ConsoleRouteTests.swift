import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import HubServer
import HubCore
import HubSQLite
import Localization
import SyncCore
import SyncProtocol
import Testing
import ZIPFoundation

/// The coordinators' console in process: accounts, sessions, form tokens, scope, pages and exports.
@Suite struct ConsoleRouteTests {
    /// A hub with a coordinator's code for commune 00004, and visits in 00004 and 00008.
    struct Hub {
        let dir = TemporaryDirectory()
        let service: HubService
        let code: String
        let lan: TestLaptop
        let other: TestLaptop

        init() async throws {
            service = try HubService(path: dir.file("hub.sqlite"))
            code = try await service.createEnrollmentCode(role: .coordinator, scope: Scope(commune: "00004"), validFor: 3_600)
            lan = try await TestLaptop.enrolled(at: service, in: dir, name: "Lan")
            other = try await TestLaptop.enrolled(at: service, in: dir, name: "Hoa", commune: "00008")
            let morning = try ISODate.parse("2026-11-25T06:30", timeZone: VietnamTime.zone)
            _ = try lan.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: "Trần Văn Bình", phone: try PhoneNumber(validating: "0971234567"),
                                             visitedAt: morning))
            _ = try lan.store.log(VisitDraft(service: .vneidLevel2, outcome: .failed, citizenName: "Lê Thị Cúc", reason: .otpNotReceived))
            _ = try other.store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Nguyễn Văn Bình"))
            try await lan.push(via: service)
            try await other.push(via: service)
        }

        func app(limits: ServerLimits = ServerLimits()) -> some ApplicationProtocol {
            Application(router: HubRoutes(service: service, limits: limits).router())
        }
    }

    /// A browser's cookie jar, just enough for one site.
    final class Browser {
        var cookies: [String: String] = [:]
        let client: any TestClientProtocol

        init(_ client: any TestClientProtocol) { self.client = client }

        /// A request as a person makes it: one the hub answers "checking many passphrases right now, try again in a few
        /// seconds" (its bcrypt queue is process-wide, and the suites' sign-ins run at once) is made again after a moment.
        @discardableResult
        func go(_ uri: String, method: HTTPRequest.Method = .get, form: [String: String]? = nil,
                headers extra: HTTPFields = [:]) async throws -> (status: Int, html: String, headers: HTTPFields, body: Data) {
            let busy = Language.allCases.map { Catalogue($0).format("err.too_many_requests", "5") }
            // Up to two minutes: the suites that flood the sign-in on purpose share the process-wide queue.
            for _ in 0..<240 {
                let answer = try await once(uri, method: method, form: form, headers: extra)
                guard answer.status == 429, busy.contains(where: answer.html.contains) else { return answer }
                try await Task.sleep(for: .milliseconds(500))
            }
            return try await once(uri, method: method, form: form, headers: extra)
        }

        private func once(_ uri: String, method: HTTPRequest.Method, form: [String: String]?,
                          headers extra: HTTPFields) async throws -> (status: Int, html: String, headers: HTTPFields, body: Data) {
            var headers = extra
            if !cookies.isEmpty { headers[.cookie] = cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ") }
            var body: ByteBuffer?
            if let form {
                headers[.contentType] = "application/x-www-form-urlencoded"
                body = ByteBuffer(string: form.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }
                    .joined(separator: "&"))
            }
            let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
            for line in response.headers[values: .setCookie] {
                let pair = line.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
                guard pair.count == 2 else { continue }
                if line.contains("Max-Age=0") || line.contains("Expires=Thu, 01 Jan 1970") { cookies[String(pair[0])] = nil } else {
                    cookies[String(pair[0])] = String(pair[1])
                }
            }
            return (Int(response.status.code), String(buffer: response.body), response.headers, Data(buffer: response.body))
        }

        /// Joins the console with a coordinator's enrolment code as `hai` (signed in afterwards).
        func joinAsHai(_ code: String) async throws {
            let joined = try await go("/console/join", method: .post,
                                      form: ["code": code, "login": "hai", "passphrase": ConsoleRouteTests.passphrase, "again": ConsoleRouteTests.passphrase])
            #expect(joined.status == 303, "joining the console: \(joined.status)")
        }

        /// The form token on a page.
        func csrf(on uri: String) async throws -> String {
            let html = try await go(uri).html
            guard let range = html.range(of: #"name="csrf" value="[0-9a-f]{64}""#, options: .regularExpression) else { return "" }
            return String(html[range].dropFirst(19).dropLast())
        }
    }

    static let passphrase = "mot hai ba bon nam"

    @Test func aCoordinatorJoinsInTheBrowserAndSeesOnlyTheirArea() async throws {
        let hub = try await Hub()
        // A visit with a field the hub does not know is quarantined, not merged.
        _ = try hub.lan.log("Vũ Thị Hoa")
        let (pending, request) = try hub.lan.pending()
        var hostile = request
        if let name = hostile.records[0]["name"] { hostile.records[0]["password"] = Register(value: .text("123456"), stamp: name.stamp) }
        let answer = try await hub.service.push(hostile, from: hub.lan.device)
        #expect(answer.rejected.count == 1)
        try hub.lan.store.acknowledge(pending, response: answer)
        let (code, service) = (hub.code, hub.service)
        let otherVisit = try #require(try hub.other.store.visits().first?.visit.id)
        let ownVisit = try #require(try hub.lan.store.visits().first { $0.visit.citizenName == "Trần Văn Bình" }?.visit.id)
        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            let first = try await browser.go("/console/overview")
            #expect(first.status == 303 && first.headers[.location] == "/console/sign-in")

            let joined = try await browser.go("/console/join", method: .post,
                                              form: ["code": code, "login": "Lan.Nguyen", "passphrase": Self.passphrase, "again": Self.passphrase])
            #expect(joined.status == 303 && joined.headers[.location] == "/console/overview")
            let cookie = joined.headers[values: .setCookie].first { $0.hasPrefix("fieldsync_console=") } ?? ""
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/console"), "\(cookie)")
            #expect(!cookie.contains("Secure"))

            let overview = try await browser.go("/console/overview")
            #expect(overview.status == 200)
            #expect(overview.html.contains("<html lang=\"vi\">") && overview.html.contains("Tổng quan") && overview.html.contains("Giờ Việt Nam"))
            #expect(overview.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'none'") == true)
            #expect(overview.html.contains("<svg"))

            // A name search ignores case and diacritics, and never leaves the coordinator's commune.
            let found = try await browser.go("/console/visits?name=BINH")
            #expect(found.html.contains("Trần Văn Bình") && !found.html.contains("Nguyễn Văn Bình") && !found.html.contains("Lê Thị Cúc"))
            #expect(found.html.contains("25/11/2026 06:30"), "times are Vietnam time")
            #expect(try await browser.go("/console/visits?name=tran+van+binh").html.contains("Trần Văn Bình"), "a form's + is a space")
            let failed = try await browser.go("/console/visits?outcome=failed")
            #expect(failed.html.contains("Lê Thị Cúc") && failed.html.contains("Không nhận được OTP") && !failed.html.contains("Trần Văn Bình"))
            #expect(try await browser.go("/console/visits?commune=00008").status == 403)
            #expect(try await browser.go("/console/visits?since=25-11-2026").status == 400)
            #expect(try await browser.go("/console/visits/\(otherVisit)").status == 404)
            let detail = try await browser.go("/console/visits/\(ownVisit)")
            #expect(detail.status == 200 && detail.html.contains("Trần Văn Bình") && detail.html.contains("0971234567"))

            let quarantine = try await browser.go("/console/quarantine")
            #expect(quarantine.status == 200 && quarantine.html.contains("password") && quarantine.html.contains("fieldsync edit"))

            // The session is in the store: another hub process on it (or this one restarted) knows it.
            let cookies = browser.cookies
            try await Application(router: HubRoutes(service: service).router()).test(.router) { (other: any TestClientProtocol) async throws in
                let elsewhere = Browser(other)
                elsewhere.cookies = cookies
                #expect(try await elsewhere.go("/console/visits").status == 200)
            }

            let english = try await browser.go("/console/overview?lang=en")
            #expect(english.html.contains("<html lang=\"en\">") && english.html.contains("Overview"))
            #expect(browser.cookies["fieldsync_lang"] == "en")
            browser.cookies["fieldsync_lang"] = nil

            // Signing out needs this session's form token.
            #expect(try await browser.go("/console/sign-out", method: .post, form: ["csrf": String(repeating: "0", count: 64)]).status == 403)
            let token = try await browser.csrf(on: "/console/overview")
            #expect(token.count == 64)
            #expect(try await browser.go("/console/sign-out", method: .post, form: ["csrf": token]).status == 303)
            #expect(try await browser.go("/console/overview").status == 303)

            let wrong = try await browser.go("/console/sign-in", method: .post, form: ["login": "lan.nguyen", "passphrase": "not it at all"])
            #expect(wrong.status == 401 && wrong.html.contains("Sai tên đăng nhập hoặc mật khẩu"))
            let right = try await browser.go("/console/sign-in", method: .post, form: ["login": "LAN.NGUYEN", "passphrase": Self.passphrase])
            #expect(right.status == 303)
            #expect(try await browser.go("/console/visits").status == 200)
        }
    }

    @Test func badCodesPassphrasesAndGuessesAreRefused() async throws {
        let hub = try await Hub()
        let volunteerCode = try await hub.service.createEnrollmentCode(role: .volunteer, scope: Scope(team: "T-01", commune: "00004"),
                                                                       validFor: 3_600)
        var limits = ServerLimits()
        limits.enrollFailures = 3
        let (service, code) = (hub.service, hub.code)
        try await hub.app(limits: limits).test(.router) { client in
            let browser = Browser(client)
            func join(_ code: String, _ login: String, _ pass: String, _ again: String) async throws -> (Int, String) {
                let r = try await browser.go("/console/join", method: .post, form: ["code": code, "login": login, "passphrase": pass, "again": again])
                return (r.status, r.html)
            }
            #expect(try await join(code, "lan", "short", "short").0 == 400)
            #expect(try await join(code, "lan", Self.passphrase, Self.passphrase + "x").1.contains("Hai mật khẩu không giống nhau"))
            #expect(try await join(code, "Lan Nguyễn", Self.passphrase, Self.passphrase).0 == 400)
            // A volunteer's code makes no console account, and the device it made is revoked at once.
            let volunteer = try await join(volunteerCode, "lan", Self.passphrase, Self.passphrase)
            #expect(volunteer.0 == 400 && volunteer.1.contains("tình nguyện viên"))
            #expect(try await service.devices().filter { $0.volunteer == "lan" }.allSatisfy { $0.revokedAt != nil })
            #expect(try await service.consoleLogin("lan") == nil)
            // The code still works after those refusals; a second account cannot take the same login.
            #expect(try await join(code, "lan", Self.passphrase, Self.passphrase).0 == 303)
            let again = try await service.createEnrollmentCode(role: .coordinator, scope: Scope(commune: "00004"), validFor: 3_600)
            let taken = try await join(again, "LAN", Self.passphrase, Self.passphrase)
            #expect(taken.0 == 400 && taken.1.contains("Tên đăng nhập này đã có người dùng"))

            // A form too big for any console form, and a page number that is not one.
            #expect(try await browser.go("/console/sign-in", method: .post,
                                         form: ["login": "lan", "passphrase": String(repeating: "x", count: 20_000)]).status == 413)
            #expect(try await browser.go("/console/visits?before=abc").status == 400)
            #expect(try await browser.go("/console/conflicts?status=maybe").status == 400)
            #expect(try await browser.go("/console/visits/%00%0A").status == 404)
            // Forms posted from another site are refused before anything else.
            let forged = try await browser.go("/console/sign-in", method: .post, form: ["login": "lan", "passphrase": Self.passphrase],
                                              headers: [.origin: "http://evil.example"])
            #expect(forged.status == 403)
            // Three wrong passphrases from one address, then 429 even with the right one.
            let fresh = Browser(client)
            for _ in 0..<3 {
                #expect(try await fresh.go("/console/sign-in", method: .post, form: ["login": "lan", "passphrase": "guess guess guess"]).status == 401)
            }
            #expect(try await fresh.go("/console/sign-in", method: .post, form: ["login": "lan", "passphrase": Self.passphrase]).status == 429)
        }
        // Only a slow hash of the passphrase is kept.
        let stored = try #require(try await hub.service.consoleLogin("lan"))
        #expect(stored.passphraseHash.hasPrefix("sha256$$2") && !stored.passphraseHash.contains(Self.passphrase))
    }

    @Test func conflictsCodesAndDevicesAreHandledFromForms() async throws {
        let hub = try await Hub()
        // Two laptops edit the same visit's note: one conflict entry.
        let minh = try await TestLaptop.enrolled(at: hub.service, in: hub.dir, name: "Minh")
        let visit = try #require(try hub.lan.store.visits().first { $0.visit.citizenName == "Trần Văn Bình" }?.visit.id)
        try await minh.pull(via: hub.service) { try $0.visit(exactly: visit) != nil }
        var a = VisitChanges()
        a.note = "A"
        var b = VisitChanges()
        b.note = "B"
        _ = try hub.lan.store.edit(visit, a)
        _ = try minh.store.edit(visit, b)
        try await hub.lan.push(via: hub.service)
        try await minh.push(via: hub.service)
        let entry = try #require(try await hub.service.conflicts(status: .open, since: nil, until: nil, scope: Scope()).first)
        var repeated: [String] = []
        for _ in 0..<2 {
            repeated.append(try hub.lan.store.log(VisitDraft(service: .eWallet, outcome: .done, citizenName: "Hoàng Văn Em",
                                                             citizenID: try CitizenID(validating: "001203000123"))).visit.id)
        }
        try await hub.lan.push(via: hub.service)
        let (firstVisit, repeatVisit) = (repeated[0], repeated[1])
        let (service, code, otherDevice, minhDevice) = (hub.service, hub.code, hub.other.device.id, minh.device.id)

        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.go("/console/join", method: .post,
                                     form: ["code": code, "login": "lan", "passphrase": Self.passphrase, "again": Self.passphrase])
            let page = try await browser.go("/console/conflicts")
            #expect(page.html.contains("conflict-\(entry.id)"))
            let token = try await browser.csrf(on: "/console/conflicts")
            #expect(try await browser.go("/console/conflicts/\(entry.id)/resolve", method: .post, form: ["choice": "take"]).status == 403)
            // One click asks first, on a page of its own (the console runs no script); nothing is resolved until confirmed.
            let asked = try await browser.go("/console/conflicts/\(entry.id)/resolve", method: .post, form: ["csrf": token, "choice": "take"])
            #expect(asked.status == 200 && asked.html.contains("id=\"confirm-form\"") && asked.html.contains("name=\"confirm\" value=\"yes\""))
            #expect(try await service.conflict(entry.id, scope: Scope()).resolution == nil)
            let resolved = try await browser.go("/console/conflicts/\(entry.id)/resolve", method: .post,
                                                form: ["csrf": token, "choice": "take", "confirm": "yes"])
            #expect(resolved.status == 303)
            #expect(!(try await browser.go("/console/conflicts").html.contains("conflict-\(entry.id)")))
            let line = try await service.conflict(entry.id, scope: Scope())
            #expect(line.resolution?.by == "lan" && line.resolution?.choice == "take")

            // Duplicates: the repeat is deleted, the first visit kept.
            let duplicates = try await browser.go("/console/duplicates")
            #expect(duplicates.html.contains("Hoàng Văn Em") && duplicates.html.contains(repeatVisit))
            let askedDuplicate = try await browser.go("/console/duplicates/resolve", method: .post,
                                                      form: ["csrf": token, "duplicate": repeatVisit, "keep": firstVisit])
            #expect(askedDuplicate.status == 200 && askedDuplicate.html.contains("confirm-form") && askedDuplicate.html.contains("Hoàng Văn Em"))
            #expect(try await service.visits(VisitQuery()).visits.contains { $0.id == repeatVisit })
            #expect(try await browser.go("/console/duplicates/resolve", method: .post,
                                         form: ["csrf": token, "duplicate": repeatVisit, "keep": firstVisit, "confirm": "yes"]).status == 303)
            #expect(try await browser.go("/console/duplicates").html.contains("no-duplicates"))
            #expect(try await service.visits(VisitQuery()).visits.contains { $0.id == repeatVisit } == false)

            // Codes: only inside the coordinator's commune; the code shown enrols a laptop.
            #expect(try await browser.go("/console/codes", method: .post,
                                         form: ["csrf": token, "role": "volunteer", "commune": "00008", "team": "T-02", "days": "7"]).status == 403)
            // A coordinator's code with a team would make an account whose reports ignore it: refused.
            let teamed = try await browser.go("/console/codes", method: .post,
                                              form: ["csrf": token, "role": "coordinator", "commune": "00004", "team": "T-02", "days": "7"])
            #expect(teamed.status == 400 && !teamed.html.contains("new-code"))
            let issued = try await browser.go("/console/codes", method: .post,
                                              form: ["csrf": token, "role": "volunteer", "commune": "00004", "team": "T-02", "days": "7"])
            let range = try #require(issued.html.range(of: #"id="new-code">[A-Z0-9-]+<"#, options: .regularExpression))
            let newCode = String(issued.html[range].dropFirst(14).dropLast())
            let enrolled = try await service.enroll(EnrollRequest(code: newCode, replica: nil, volunteer: "Tú"))
            #expect(enrolled.scope == Scope(team: "T-02", commune: "00004"))

            // Revoking: a device of another commune is not found; one of this commune is revoked.
            #expect(try await browser.go("/console/devices/\(otherDevice)/revoke", method: .post, form: ["csrf": token, "confirm": "yes"]).status == 404)
            let askedRevoke = try await browser.go("/console/devices/\(minhDevice)/revoke", method: .post, form: ["csrf": token])
            #expect(askedRevoke.status == 200 && askedRevoke.html.contains("confirm-form") && !askedRevoke.html.contains("onsubmit"))
            #expect(try await service.devices().first { $0.id == minhDevice }?.revokedAt == nil, "one click revokes nothing")
            #expect(try await browser.go("/console/devices/\(minhDevice)/revoke", method: .post, form: ["csrf": token, "confirm": "yes"]).status == 303)
            #expect(try await service.devices().first { $0.id == minhDevice }?.revokedAt != nil)
            let devices = try await browser.go("/console/devices").html
            #expect(devices.components(separatedBy: "Đã thu hồi").count == 2, "only Minh's device shows as revoked")
            // A coordinator whose own device is revoked is signed out at the next page.
            let own = try #require(try await service.consoleLogin("lan")).device.id
            try await service.revoke(device: own)
            #expect(try await browser.go("/console/overview").status == 303)
        }
    }

    @Test func exportsAreOneTableEachAndXLSXKeepsCodesAsText() async throws {
        let hub = try await Hub()
        let code = hub.code
        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.go("/console/join", method: .post,
                                     form: ["code": code, "login": "lan", "passphrase": Self.passphrase, "again": Self.passphrase])
            let csv = try await browser.go("/console/exports/visits.csv")
            let lines = csv.html.split(separator: "\r\n")
            #expect(lines.count == 3, "a header and the two visits of commune 00004: \(lines)")
            #expect(lines.first?.hasPrefix("\u{FEFF}visit,visited_at,commune") == true)
            #expect(lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false).count == 15 }, "14 columns and the review")
            // For people: headers and codes in words, Vietnam time, `;` between cells when asked.
            let people = try await browser.go("/console/exports/visits-people.csv?separator=%3B").html
            #expect(people.hasPrefix("\u{FEFF}Mã lượt;Thời gian hỗ trợ;Mã xã;Xã/phường") && people.contains(";00004;Phường Ba Đình;"), "\(people)")
            #expect(!people.contains("e-wallet") && people.contains("Mở ví điện tử") && !people.contains("T0"), "labels, no UTC times")
            #expect(csv.html.contains(",00004,") && csv.html.contains("0971234567") && !csv.html.contains("Nguyễn Văn Bình"))
            for file in ["conflicts.csv", "progress.csv", "devices.csv"] {
                let table = try await browser.go("/console/exports/\(file)")
                let rows = table.html.split(separator: "\r\n")
                #expect(table.status == 200 && !rows.isEmpty && !rows.contains(""), "\(file): one table, no blank line")
            }
            let progress = try await browser.go("/console/exports/progress.csv?since=2026-11-25&until=2026-11-25").html
            #expect(progress.contains(",00004,") && progress.contains(",e-wallet,1,1,0,0,1\r\n") && !progress.contains("vneid-level2"), "\(progress)")
            #expect(try await browser.go("/console/exports/salaries.csv").status == 404)

            // Targets pasted from a spreadsheet: ; between cells, the commune's zeros lost, thousands with a dot.
            let token = try await browser.csrf(on: "/console/exports")
            let bad = try await browser.go("/console/targets", method: .post,
                                           form: ["csrf": token, "targets": "commune;service;target\n4;e-wallet;x\n13;e-wallet;1\n"])
            #expect(bad.status == 400 && bad.html.contains("line 2") && bad.html.contains("line 3"), "both bad lines named")
            let saved = try await browser.go("/console/targets", method: .post,
                                             form: ["csrf": token, "targets": "commune;service;target\r\n4;e-wallet;1.000\r\n"])
            #expect(saved.status == 200 && saved.html.contains("targets-saved"))
            let overview = try await browser.go("/console/overview")
            #expect(overview.html.contains("Chỉ tiêu") && overview.html.contains("1.000") && overview.html.contains("0,1 %"), "1 done of 1.000")

            let xlsx = try await browser.go("/console/exports/visits.xlsx")
            #expect(xlsx.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            let archive = try Archive(data: xlsx.body, accessMode: .read)
            let entry = try #require(archive["xl/worksheets/sheet1.xml"])
            var sheet = Data()
            _ = try archive.extract(entry) { sheet.append($0) }
            let xml = String(decoding: sheet, as: UTF8.self)
            #expect(xml.contains(#"t="inlineStr" s="1"><is><t xml:space="preserve">00004</t>"#))
            #expect(xml.contains(#"<t xml:space="preserve">0971234567</t>"#))
            #expect(xml.contains(#" s="2"><v>"#), "visit times are date cells")
            #expect(xml.contains("<autoFilter ref=\"A1:O3\"/>") && xml.contains("<col min=\"1\" max=\"1\" width=") && xml.contains("state=\"frozen\""),
                    "a filter row, widths, a frozen header")
            #expect(xml.contains(">Thời gian hỗ trợ<") && xml.contains(">Mở ví điện tử<") && !xml.contains(">e-wallet<"), "words for people")
            let codes = try #require(archive["xl/worksheets/sheet2.xml"])
            var second = Data()
            _ = try archive.extract(codes) { second.append($0) }
            #expect(String(decoding: second, as: UTF8.self).contains(">e-wallet<"), "the second sheet keeps the codes")
        }
    }

    /// Every byte of a passphrase counts (bcrypt alone reads 72: 36 × "Đ"), and a hash made before (plain bcrypt)
    /// still signs in.
    @Test func everyByteOfAPassphraseCountsAndOldHashesStillWork() async throws {
        let hub = try await Hub()
        let long = String(repeating: "Đ", count: 36) + " thật", code = hub.code
        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            let joined = try await browser.go("/console/join", method: .post, form: ["code": code, "login": "hai", "passphrase": long, "again": long])
            #expect(joined.status == 303)
            _ = try await browser.go("/console/sign-out", method: .post, form: ["csrf": try await browser.csrf(on: "/console/overview")])
            let forged = try await Browser(client).go("/console/sign-in", method: .post,
                                                      form: ["login": "hai", "passphrase": String(repeating: "Đ", count: 36) + " giả"])
            #expect(forged.status == 401, "the first 72 bytes alone do not sign in")
            let right = try await Browser(client).go("/console/sign-in", method: .post, form: ["login": "hai", "passphrase": long])
            #expect(right.status == 303)
        }
        // A coordinator whose hash was made by plain bcrypt (before) keeps signing in.
        let oldCode = try await hub.service.createEnrollmentCode(role: .coordinator, scope: Scope(commune: "00004"), validFor: 600)
        let device = try await hub.service.enroll(EnrollRequest(code: oldCode, replica: nil, volunteer: "old")).device
        try await hub.service.setConsoleLogin(device: device, login: "old", passphraseHash: Bcrypt.hash("mot hai ba bon nam sau", cost: 4))
        try await hub.app().test(.router) { client in
            let old = try await Browser(client).go("/console/sign-in", method: .post, form: ["login": "old", "passphrase": "mot hai ba bon nam sau"])
            #expect(old.status == 303)
        }
    }

    /// Parallel wrong passphrases or codes from one address are counted before they are checked: past the limit
    /// (10) they get 429 at once, however many arrive together.
    @Test func parallelGuessesHitTheLimit() async throws {
        let hub = try await Hub()
        let code = hub.code
        try await hub.app().test(.router) { client in
            _ = try await Browser(client).go("/console/join", method: .post,
                                             form: ["code": code, "login": "hai", "passphrase": Self.passphrase, "again": Self.passphrase])
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<40 {
                    group.addTask {
                        try await Browser(client).go("/console/sign-in", method: .post, form: ["login": "hai", "passphrase": "sai \(n) lần rồi"]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 401 }.count <= 10 && statuses.filter { $0 == 429 }.count >= 30, "\(statuses.sorted())")
            let codes = try await withThrowingTaskGroup(of: Int.self) { group in
                for n in 0..<30 {
                    group.addTask {
                        let body = ByteBuffer(string: #"{"code":"AAAA-BBBB-\#(String(format: "%04d", n))"}"#)
                        return Int(try await client.execute(uri: "/v1/enroll", method: .post, headers: [.contentType: "application/json"], body: body)
                            .status.code)
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(codes.filter { $0 == 401 }.count <= 10 && codes.filter { $0 == 429 }.count >= 20, "\(codes.sorted())")
        }
    }

    /// Every read of personal data by a person leaves an audit line (one per page or request, never the data); a
    /// volunteer's sync does not; sign-ins and sign-outs do.
    @Test func readsOfPersonalDataByPeopleAreAudited() async throws {
        let hub = try await Hub()
        let code = hub.code, service = hub.service, lanToken = hub.lan.token
        let visit = try #require(try await service.visits(VisitQuery()).visits.first { $0.commune == "00004" }?.id)
        let before = try await service.auditEntries(after: 0, limit: 10_000).entries.count
        try await hub.app().test(.router) { client in
            let browser = Browser(client)
            _ = try await browser.go("/console/join", method: .post, form: ["code": code, "login": "hai", "passphrase": Self.passphrase, "again": Self.passphrase])
            for page in ["/console/visits?name=binh", "/console/visits/\(visit)", "/console/conflicts", "/console/duplicates", "/console/quarantine"] {
                #expect(try await browser.go(page).status == 200, "\(page)")
            }
            _ = try await browser.go("/console/sign-out", method: .post, form: ["csrf": try await browser.csrf(on: "/console/overview")])
            _ = try await Browser(client).go("/console/sign-in", method: .post, form: ["login": "hai", "passphrase": Self.passphrase])
        }
        let lines = try await service.auditEntries(after: 0, limit: 10_000).entries.dropFirst(before)
        let pages = lines.filter { $0.action == "read" }.compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.detail.utf8)) as? [String: String])?["page"]
        }
        #expect(pages == ["visits", "visit", "conflicts", "duplicates", "quarantine"], "\(lines.map(\.action))")
        #expect(lines.filter { $0.action == "read" }.allSatisfy { !$0.detail.contains("binh") && !$0.detail.contains("Bình") }, "never the data")
        #expect(lines.contains { $0.action == "sign-out" } && lines.contains { $0.action == "sign-in" })

        // Through the API: a coordinator's pull and conflicts are read by a person; a volunteer's pull is a sync.
        let coordinatorCode = try await service.createEnrollmentCode(role: .coordinator, scope: Scope(commune: "00004"), validFor: 600)
        let coordinator = try await service.enroll(EnrollRequest(code: coordinatorCode, replica: nil, volunteer: "Hải")).token
        let mark = try await service.auditEntries(after: 0, limit: 10_000).entries.count
        try await hub.app().test(.router) { client in
            for (uri, token) in [("/v1/pull", coordinator), ("/v1/conflicts", coordinator), ("/v1/pull", lanToken)] {
                let response = try await client.execute(uri: uri, method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok, "\(uri)")
            }
        }
        let api = try await service.auditEntries(after: 0, limit: 10_000).entries.dropFirst(mark).filter { $0.action == "read" }
        #expect(api.count == 2 && api.allSatisfy { $0.detail.contains("pull") || $0.detail.contains("conflicts") }, "\(api.map(\.detail))")
    }
}
