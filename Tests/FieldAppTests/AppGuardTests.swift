import FieldModel
import FieldStore
import FieldSyncTesting
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Localization
import NIOCore
import Testing
@testable import FieldApp

/// The app on a shared laptop (issue 32): only the launch file's holder gets in, only the app's own pages can post,
/// only its own address is answered, and a locked store shows nothing. Each attack is refused and writes nothing.
@Suite struct AppGuardTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("store.sqlite") }
    /// The name HummingbirdTesting's requests carry (`Host: localhost`), taken here as the app's own.
    static let origin = "http://localhost"
    let secretName = "Trần Thị Mai Hương"

    /// A store with one visit, and the app over it.
    func app(passphrase: String? = nil) throws -> (some ApplicationProtocol, AppGate) {
        let store = try FieldStore.create(at: path, volunteer: "Lê Thị Hoa", team: "T-01", commune: "00004")
        _ = try store.log(VisitDraft(service: .vneidLevel2, outcome: .done, citizenName: secretName, phone: try PhoneNumber(validating: "0912345678")))
        if let passphrase { try store.setPassphrase(passphrase) }
        let gate = AppGate()
        let router = AppServer.router(storePath: path, gate: gate, hosts: { ["localhost"] }, rekey: { _ in }, quit: {})
        return (Application(router: router), gate)
    }

    /// The visits in the store, read as the command line reads them.
    func visitCount() throws -> Int { try FieldStore.open(at: path).status().visits }

    /// Opens a session with the launch key: the cookie header to send.
    static func enter(_ client: some TestClientProtocol, _ gate: AppGate) async throws -> String {
        let response = try await client.execute(uri: "/open?key=\(gate.launchKey)", method: .get, headers: [:])
        #expect(response.status == .ok)
        let cookie = try #require(response.headers[.setCookie])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"))
        return String(cookie.split(separator: ";")[0])
    }

    /// The form token of the session, from a page's form.
    static func token(_ client: some TestClientProtocol, _ cookie: String) async throws -> String {
        let page = try await client.execute(uri: "/visits/new", method: .get, headers: [.cookie: cookie])
        let html = String(buffer: page.body)
        let start = try #require(html.range(of: "name=\"csrf\" value=\""))
        return String(html[start.upperBound...].prefix { $0 != "\"" })
    }

    static func form(_ fields: [String: String]) -> ByteBuffer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._")
        return ByteBuffer(string: fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }.joined(separator: "&"))
    }

    @Test func withoutTheLaunchKeyNothingIsShown() async throws {
        let (app, gate) = try app()
        try await app.test(.router) { client in
            for page in ["/", "/search?q=tran", "/visits/new", "/sync", "/due"] {
                let response = try await client.execute(uri: page, method: .get, headers: [:])
                #expect(response.status == .unauthorized, "\(page)")
                #expect(!String(buffer: response.body).contains(secretName))
            }
            let forged = try await client.execute(uri: "/", method: .get, headers: [.cookie: "fieldsync_app=\(AppGate.random())"])
            #expect(forged.status == .unauthorized)
            let wrongKey = try await client.execute(uri: "/open?key=\(AppGate.random())", method: .get, headers: [:])
            #expect(wrongKey.status == .unauthorized && wrongKey.headers[.setCookie] == nil)
            let key = gate.launchKey
            let cookie = try await Self.enter(client, gate)
            // The key opens once: a copy of the address (history, a screenshot) opens nothing.
            let again = try await client.execute(uri: "/open?key=\(key)", method: .get, headers: [:])
            #expect(again.status == .unauthorized)
            let today = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(today.status == .ok)
            #expect(String(buffer: today.body).contains(secretName))
        }
    }

    @Test func anotherHostNameIsRefused() async throws {
        let (app, gate) = try app()
        try await app.test(.live) { client in
            let cookie = try await Self.enter(client, gate)
            let port = try #require(client.port)
            // DNS rebinding: a page of attacker.example that resolves to 127.0.0.1 sends its own name, with the cookie if it had one.
            for host in ["attacker.example:\(port)", "127.0.0.1:9", "fieldsync.local"] {
                let answer = try await Self.raw(port: port, "GET / HTTP/1.1\r\nHost: \(host)\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 421"), "\(host): \(answer.prefix(40))")
                #expect(!answer.contains(secretName))
            }
            let own = try await Self.raw(port: port, "GET / HTTP/1.1\r\nHost: localhost\r\nCookie: \(cookie)\r\nConnection: close\r\n\r\n")
            #expect(own.hasPrefix("HTTP/1.1 200"), "the app's own name is answered")
        }
    }

    /// Sends a request as written and reads the answer, on a thread of its own: a blocking read on Swift's cooperative
    /// pool would starve the server under test, whose handlers run there.
    static func raw(port: Int, _ request: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                do {
                    let socket = try RawSocket(port: port)
                    socket.send(request)
                    continuation.resume(returning: socket.read(seconds: 30).text)
                } catch {
                    continuation.resume(throwing: error)
                }
            }
        }
    }

    @Test func formsFromElsewhereOrWithoutTheTokenWriteNothing() async throws {
        let (app, gate) = try app()
        try await app.test(.router) { client in
            let cookie = try await Self.enter(client, gate)
            let token = try await Self.token(client, cookie)
            let visit = ["service": "vneid-level2", "outcome": "done", "name": "Người Giả Mạo", "commune": "00004"]
            let attempts: [(String, HTTPFields)] = [
                ("another origin", [.cookie: cookie, .origin: "https://attacker.example", .contentType: "application/x-www-form-urlencoded"]),
                ("cross-site fetch", [.cookie: cookie, HTTPField.Name("Sec-Fetch-Site")!: "cross-site",
                                      .contentType: "application/x-www-form-urlencoded"]),
                ("no cookie", [.origin: Self.origin, .contentType: "application/x-www-form-urlencoded"]),
            ]
            for (what, headers) in attempts {
                let response = try await client.execute(uri: "/visits", method: .post, headers: headers,
                                                        body: Self.form(visit.merging(["csrf": token]) { a, _ in a }))
                #expect(response.status == .forbidden || response.status == .unauthorized, "\(what): \(response.status)")
            }
            for (what, fields) in [("no token", visit), ("another token", visit.merging(["csrf": AppGate.random()]) { a, _ in a })] {
                let response = try await client.execute(uri: "/visits", method: .post,
                                                        headers: [.cookie: cookie, .origin: Self.origin], body: Self.form(fields))
                #expect(response.status == .forbidden, "\(what)")
            }
            #expect(try visitCount() == 1, "nothing was written")
            let logged = try await client.execute(uri: "/visits", method: .post, headers: [.cookie: cookie, .origin: Self.origin],
                                                  body: Self.form(visit.merging(["csrf": token]) { a, _ in a }))
            #expect(logged.status == .seeOther)
            #expect(try visitCount() == 2, "the app's own form writes")
        }
    }

    @Test func aLockedStoreShowsNothingUntilUnlocked() async throws {
        let (app, gate) = try app(passphrase: "một câu dài đủ tám")
        try await app.test(.router) { client in
            let cookie = try await Self.enter(client, gate)
            for page in ["/", "/search?q=tran", "/visits/new", "/due", "/flagged"] {
                let response = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie])
                #expect(response.status == .found && response.headers[.location] == "/unlock", "\(page)")
                #expect(!String(buffer: response.body).contains(secretName))
            }
            let unlockPage = try await client.execute(uri: "/unlock", method: .get, headers: [.cookie: cookie])
            let html = String(buffer: unlockPage.body)
            let start = try #require(html.range(of: "name=\"csrf\" value=\""))
            let token = String(html[start.upperBound...].prefix { $0 != "\"" })
            let post = try await client.execute(uri: "/visits", method: .post, headers: [.cookie: cookie, .origin: Self.origin],
                                                body: Self.form(["csrf": token, "service": "vneid-level2", "outcome": "done", "name": "Ai Đó"]))
            #expect(post.status.code == 423)
            #expect(try visitCount() == 1)
            let wrong = try await client.execute(uri: "/unlock", method: .post, headers: [.cookie: cookie, .origin: Self.origin],
                                                 body: Self.form(["csrf": token, "passphrase": "sai mật khẩu rồi"]))
            #expect(wrong.status == .forbidden)
            #expect(String(buffer: wrong.body).contains(Catalogue(.vietnamese)["app_unlock_heading"]))
            let right = try await client.execute(uri: "/unlock", method: .post, headers: [.cookie: cookie, .origin: Self.origin],
                                                 body: Self.form(["csrf": token, "passphrase": "một câu dài đủ tám"]))
            #expect(right.status == .seeOther)
            let today = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(String(buffer: today.body).contains(secretName))
            let lock = try await client.execute(uri: "/lock", method: .post, headers: [.cookie: cookie, .origin: Self.origin],
                                                body: Self.form(["csrf": token]))
            #expect(lock.status == .seeOther)
            let after = try await client.execute(uri: "/", method: .get, headers: [.cookie: cookie])
            #expect(after.status == .found, "locked again from the page")
        }
    }

    /// Every page runs under a policy without `unsafe-inline`, and holds no inline style or script to need one.
    @Test func pagesCarryNoInlineStyleOrScript() async throws {
        let (app, gate) = try app()
        try await app.test(.router) { client in
            let cookie = try await Self.enter(client, gate)
            let id = try FieldStore.open(at: path).visits().first?.visit.id ?? ""
            for page in ["/", "/visits/new", "/visits/\(id)", "/visits/\(id)/edit", "/search?q=tran", "/due", "/flagged", "/sessions",
                         "/sessions/new", "/sync", "/no-such-page", "/?lang=en"] {
                let response = try await client.execute(uri: page, method: .get, headers: [.cookie: cookie])
                let policy = try #require(response.headers[.contentSecurityPolicy], "\(page)")
                #expect(!policy.contains("unsafe-inline") && policy.contains("default-src 'none'"), "\(page)")
                let html = String(buffer: response.body)
                #expect(!html.contains("<style") && !html.contains(" style=") && !html.contains("<script>"), "\(page)")
                #expect(!html.contains("⟦") && !html.contains(">nil<"), "\(page): every word is in the catalogue, no empty value printed")
                #expect(!html.contains("http://") && !html.contains("https://"), "\(page): nothing loaded from elsewhere")
            }
        }
    }
}
