import FieldModel
import FieldStore
import Foundation
import Hummingbird
import Localization
import NIOCore
import NIOPosix
import WebUI

/// The volunteer's app: pages over the laptop's store, every write through the same `FieldStore` calls and form
/// readers as the command line. Each request opens the store on NIO's thread pool (never Swift's cooperative pool)
/// and closes it when done, so the app and the command line can be used side by side.
struct AppRoutes: Sendable {
    let path: String
    let gate: AppGate
    let sync: SyncRun
    /// The update button's run (one at a time).
    let updating = UpdateRun()
    /// The store's visits and households as last opened.
    let opened = OpenedStore()
    /// Writes the launch file again with a new key once a session opened with the old one.
    let rekey: @Sendable (String) -> Void
    /// Stops the app (Thoát).
    let quit: @Sendable () -> Void
    /// The largest form body taken.
    static let formLimit = 64 * 1024

    /// Adds the routes to `router`.
    func add(to router: Router<AppRequestContext>) {
        router.get("style.css") { _, _ in PageHeaders.stylesheet() }
        router.get("app.js") { _, _ in PageHeaders.asset(AppScript.javascript, type: "text/javascript; charset=utf-8") }
        router.get("open") { request, _ in door(request) }
        router.get("/") { request, context in try await today(request, context) }
        router.get("visits/new") { request, context in try await newVisit(request, context) }
        router.post("visits") { request, context in try await logVisit(request, context) }
        router.get("visits/:id") { request, context in try await visitPage(request, context) }
        router.get("visits/:id/edit") { request, context in try await editVisit(request, context) }
        router.post("visits/:id/edit") { request, context in try await saveVisit(request, context) }
        router.post("visits/:id/:action") { request, context in try await visitAction(request, context) }
        router.get("search") { request, context in try await search(request, context) }
        router.get("due") { request, context in try await due(request, context) }
        router.get("flagged") { request, context in try await flagged(request, context) }
        router.get("sessions") { request, context in try await sessions(request, context) }
        router.get("sessions/new") { request, context in try await newSession(request, context) }
        router.post("sessions") { request, context in try await logSession(request, context) }
        router.get("sync") { request, context in try await syncPage(request, context) }
        router.post("sync") { request, context in try await startSync(request, context) }
        router.get("sync/progress") { _, _ in progress(sync.snapshot) }
        router.post("bundle") { request, context in try await exportBundle(request, context) }
        router.post("bundle/import") { request, context in try await importBundle(request, context) }
        router.post("peer") { request, context in try await peerSync(request, context) }
        router.post("update") { request, context in try await startUpdate(request, context) }
        router.get("update/progress") { _, _ in progress(updating.snapshot) }
        router.get("unlock") { request, context in try await unlockPage(request, context, error: nil) }
        router.post("unlock") { request, context in try await unlock(request, context) }
        router.post("lock") { request, context in try await lock(request, context) }
        router.post("quit") { request, context in try await quitApp(request, context) }
        router.get("**") { _, _ -> Response in throw AppError.notFound }
    }

    /// The door: the launch file's key for a session cookie, then the today page. The page moves on by itself
    /// (a redirect from the file would be a cross-site navigation, on which a SameSite=Strict cookie is not sent).
    func door(_ request: Request) -> Response {
        let t = Catalogue(appRequest: request)
        guard let key = request.uri.queryParameters["key"].map(String.init), let session = gate.open(with: key) else {
            return AppPages.message(t["app_error"], AppError.notOpened.text(t), status: 401, t: t, csrf: nil)
        }
        rekey(gate.launchKey)
        let html = """
            <!doctype html><html lang="\(t.language == .english ? "en" : "vi")"><head><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=/">
            <title>FieldSync</title><link rel="stylesheet" href="/style.css?v=\(Stylesheet.version)"></head><body><main><p><a href="/">\(t["app_enter"])</a></p></main></body></html>
            """
        var response = PageHeaders.html(html)
        response.setCookie(Cookie(name: AppMiddleware.cookie, value: session, path: "/", secure: false, httpOnly: true, sameSite: .strict))
        return response
    }

    /// Runs `body` with the store open on NIO's thread pool; a store that is locked refuses pages that read.
    func withStore<T: Sendable>(reading: Bool = true, _ body: @escaping @Sendable (FieldStore) throws -> T) async throws -> T {
        let path = self.path, opened = self.opened
        return try await NIOThreadPool.singleton.runIfActive {
            let store = try FieldStore.open(at: path)
            if store.lockState == .locked {
                opened.forget()
                if reading { throw AppError.locked }
            }
            return try body(store)
        }
    }

    /// The header of every page.
    static func header(_ store: FieldStore) throws -> AppPages.Header {
        AppPages.Header(volunteer: store.profile.volunteer, team: store.profile.team, lockable: store.lockState == .unlocked,
                        flags: try store.flaggedVisits().count)
    }

    /// The body of a posted form, with its token checked against the session's.
    func form(_ request: Request, _ context: AppRequestContext) async throws -> FormFields {
        let body = try await request.body.collect(upTo: Self.formLimit)
        let fields = FormFields(String(buffer: body))
        guard let token = context.formToken, let given = fields["csrf"], AppGate.same(given, token) else { throw AppError.forgedForm }
        return fields
    }

    /// A page of the open app.
    func page(_ name: String, _ values: [String: Any], _ request: Request, _ context: AppRequestContext, header: AppPages.Header,
              status: HTTPResponse.Status = .ok, script: Bool = false) -> Response {
        AppPages.page(name, values, t: Catalogue(appRequest: request), csrf: context.formToken, header: header, status: status, script: script)
    }

    /// A redirect after a form (303: the browser asks for the page with GET).
    static func seeOther(_ location: String) -> Response { Response.redirect(to: location, type: .normal) }
}
