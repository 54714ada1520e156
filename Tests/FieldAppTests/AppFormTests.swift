import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import Hummingbird
import HummingbirdTesting
import Localization
import Testing
@testable import FieldApp

/// The visit form (issue 32): the same rules and words as `fieldsync log`, the error at its field with the focus.
@Suite struct AppFormTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("store.sqlite") }

    @Test func aWrongFieldIsToldThereInTheCommandLinesWordsAndNothingIsWritten() async throws {
        _ = try FieldStore.create(at: path, volunteer: "Lê Thị Hoa", team: "T-01", commune: "00004")
        let gate = AppGate()
        let app = Application(router: AppServer.router(storePath: path, gate: gate, hosts: { ["localhost"] }, rekey: { _ in }, quit: {}))
        try await app.test(.router) { client in
            let cookie = try await AppGuardTests.enter(client, gate)
            let token = try await AppGuardTests.token(client, cookie)
            let base = ["csrf": token, "service": "vneid-level2", "outcome": "failed", "reason": "otp-not-received", "name": "Trần Văn Bình",
                        "consent": "1", "commune": "00004", "at": ""]
            let expected = try #require(throws: InputError.self) { try CitizenID(validating: "00120301234") }.message(Catalogue(.vietnamese))
            let refused = try await client.execute(uri: "/visits", method: .post, headers: [.cookie: cookie, .origin: AppGuardTests.origin],
                                                   body: AppGuardTests.form(base.merging(["cccd": "00120301234"]) { _, b in b }))
            #expect(refused.status == .unprocessableContent)
            let html = String(buffer: refused.body)
            #expect(html.contains("id=\"e-cccd\">" + expected.replacingOccurrences(of: "«", with: "&laquo;").replacingOccurrences(of: "»", with: "&raquo;"))
                    || html.contains("id=\"e-cccd\">" + expected))
            #expect(html.contains("id=\"f-cccd\" value=\"00120301234\""), "what was typed stays")
            let focus = try #require(html.range(of: "autofocus"))
            #expect(html[..<focus.lowerBound].hasSuffix("aria-invalid=\"true\" aria-describedby=\"e-cccd\" ") || html[..<focus.lowerBound].contains("id=\"f-cccd\""),
                    "the field in error takes the focus")
            #expect(html.components(separatedBy: "autofocus").count == 2, "one field has the focus")
            #expect(try FieldStore.open(at: path).status().visits == 0)
            // No reason on a failed visit: the kind's rule, at the reason field.
            let noReason = try await client.execute(uri: "/visits", method: .post, headers: [.cookie: cookie, .origin: AppGuardTests.origin],
                                                    body: AppGuardTests.form(base.merging(["reason": ""]) { _, b in b }))
            #expect(noReason.status == .unprocessableContent)
            #expect(String(buffer: noReason.body).contains("id=\"e-reason\""))
            let logged = try await client.execute(uri: "/visits", method: .post, headers: [.cookie: cookie, .origin: AppGuardTests.origin],
                                                  body: AppGuardTests.form(base.merging(["cccd": "001203012345", "phone": "0912 345 678"]) { _, b in b }))
            #expect(logged.status == .seeOther)
            let visit = try #require(try FieldStore.open(at: path).visits().first)
            #expect(visit.visit.citizenName == "Trần Văn Bình" && visit.rawCitizenID == "001203012345" && visit.visit.phone == "0912345678")
            #expect(visit.visit.reason == .otpNotReceived && visit.visit.openFollowUp != nil, "the reason's come-back day, as on the command line")
        }
    }

    @Test func deletingAsksOnceMoreThenDeletes() async throws {
        let store = try FieldStore.create(at: path, volunteer: "Lê Thị Hoa", team: "T-01", commune: "00004")
        let id = try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: "Đỗ Văn Nam")).visit.id
        let gate = AppGate()
        let app = Application(router: AppServer.router(storePath: path, gate: gate, hosts: { ["localhost"] }, rekey: { _ in }, quit: {}))
        try await app.test(.router) { client in
            let cookie = try await AppGuardTests.enter(client, gate)
            let token = try await AppGuardTests.token(client, cookie)
            let asked = try await client.execute(uri: "/visits/\(id)/delete", method: .post, headers: [.cookie: cookie, .origin: AppGuardTests.origin],
                                                 body: AppGuardTests.form(["csrf": token]))
            #expect(asked.status == .ok && String(buffer: asked.body).contains("name=\"confirm\" value=\"1\""))
            #expect(try FieldStore.open(at: path).visit(id).visit.deleted == false, "not deleted before the confirmation")
            let done = try await client.execute(uri: "/visits/\(id)/delete", method: .post, headers: [.cookie: cookie, .origin: AppGuardTests.origin],
                                                body: AppGuardTests.form(["csrf": token, "confirm": "1"]))
            #expect(done.status == .seeOther)
            #expect(try FieldStore.open(at: path).visit(id).visit.deleted == true)
        }
    }
}
