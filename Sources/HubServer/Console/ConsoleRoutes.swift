import FieldModel
import Foundation
import HubCore
import HubReports
import HubSQLite
import Hummingbird
import HummingbirdAuth
import Localization
import Mustache
import NIOCore
import NIOPosix
import SyncProtocol
import WebUI

/// The coordinators' web console under `/console`: sign-in with a login and passphrase (bcrypt),
/// a session cookie (HttpOnly, SameSite=Strict, Secure behind TLS), a form token on every form,
/// server-rendered pages in Vietnamese (English as an option) and Vietnam time. A coordinator sees
/// and acts on what the coordinator's token may: the same scope rules as the API.
public struct ConsoleRoutes: Sendable {
    let service: any HubStorage
    let limits: ServerLimits
    let secureCookies: Bool
    let sessionStore: ConsoleSessionStore
    let throttle: EnrollmentThrottle
    /// Coverage by commune between page views, counted again where something changed.
    let coverageCache: CoverageCache
    /// Sessions end after this long, signed in or not.
    static let sessionLifetime: Duration = .seconds(8 * 3_600)

    /// The console over a store; `secureCookies` when the hub is reached over TLS.
    public init(service: any HubStorage, limits: ServerLimits, secureCookies: Bool, coverage: CoverageCache = CoverageCache()) {
        self.service = service
        coverageCache = coverage
        self.limits = limits
        self.secureCookies = secureCookies
        sessionStore = ConsoleSessionStore(service: service)
        throttle = EnrollmentThrottle(limit: limits.enrollFailures, window: limits.enrollWindowSeconds)
    }

    /// Adds the console's routes to the hub's router.
    public func add(to router: Router<HubRequestContext>) {
        let cookie = SessionCookieParameters(name: "fieldsync_console", path: "/console", secure: secureCookies, sameSite: .strict)
        let console = router.group("console")
            .add(middleware: ConsoleMiddleware())
            .add(middleware: SessionMiddleware(storage: sessionStore, configuration: .init(
                sessionCookieParameters: cookie, keyPrefix: "console.", defaultSessionExpiration: Self.sessionLifetime)))
        console.get { _, _ in Response.redirect(to: "/console/overview", type: .found) }
        console.get("style.css") { _, _ in PageHeaders.stylesheet() }
        console.get("sign-in") { request, context in try await signInPage(request, context) }
        console.post("sign-in") { request, context in try await signIn(request, context) }
        console.get("join") { request, _ in page("join", [:], request: request, signedIn: nil) }
        console.post("join") { request, context in try await join(request, context) }
        console.post("sign-out") { request, context in try await signOut(request, context) }
        console.get("overview") { request, context in try await overview(request, context) }
        console.get("visits") { request, context in try await visits(request, context) }
        console.get("visits/:id") { request, context in try await visit(request, context) }
        console.post("visits/:id/review") { request, context in try await reviewVisit(request, context) }
        console.post("review") { request, context in try await reviewPage(request, context) }
        console.get("quality") { request, context in try await quality(request, context) }
        console.get("conflicts") { request, context in try await conflicts(request, context) }
        console.post("conflicts/:id/resolve") { request, context in try await resolve(request, context) }
        console.get("quarantine") { request, context in try await quarantine(request, context) }
        console.get("duplicates") { request, context in try await duplicates(request, context) }
        console.post("duplicates/resolve") { request, context in try await resolveDuplicate(request, context) }
        console.get("devices") { request, context in try await devices(request, context, newCode: nil) }
        console.post("codes") { request, context in try await issueCode(request, context) }
        console.post("devices/:id/revoke") { request, context in try await revoke(request, context) }
        console.get("exports") { request, context in try await exports(request, context) }
        console.get("kinds") { request, context in try await kinds(request, context) }
        console.get("sessions") { request, context in try await sessions(request, context) }
        console.get("villages") { request, context in try await villages(request, context) }
        console.get("coverage") { request, context in try await coverage(request, context) }
        console.get("households") { request, context in try await households(request, context) }
        console.post("households") { request, context in try await importHouseholds(request, context) }
        console.post("villages") { request, context in try await changeVillage(request, context) }
        console.post("targets") { request, context in try await saveTargets(request, context) }
        console.get("exports/:file") { request, context in try await export(request, context) }
        // Any other console address: the error page in the person's language, not an empty 404.
        console.get("**") { _, _ -> Response in throw HTTPError(.notFound) }
    }

    /// A signed-in coordinator: the session and the device it acts as.
    struct SignedIn {
        let session: ConsoleSession
        let device: Device
    }

    /// The signed-in coordinator, or `ConsoleError.signInNeeded` (the middleware redirects to sign-in).
    /// A revoked device ends its session at once.
    func signedIn(_ context: HubRequestContext) async throws -> SignedIn {
        guard let session = context.sessions.session else { throw ConsoleError.signInNeeded }
        guard let login = try await service.consoleLogin(session.login), login.device.revokedAt == nil,
              login.device.role == .coordinator
        else {
            context.sessions.clearSession()
            throw ConsoleError.signInNeeded
        }
        return SignedIn(session: session, device: login.device)
    }

    /// A signed-in coordinator posting a form of this session (its token), or 403.
    func signedIn(_ context: HubRequestContext, form: ConsoleForm) async throws -> SignedIn {
        let who = try await signedIn(context)
        guard who.session.accepts(csrf: form["csrf"]) else { throw ConsoleError.forgedForm }
        return who
    }

    /// A page rendered with the person's language, and the signed-in coordinator's header.
    func page(_ name: String, _ values: [String: Any], request: Request, signedIn who: SignedIn?,
              status: HTTPResponse.Status = .ok) -> Response {
        let t = Catalogue(request: request)
        var values = values
        values["t"] = t.table
        values["style_version"] = Stylesheet.version
        if let who {
            values["session"] = true
            values["login"] = who.session.login
            values["csrf"] = who.session.csrf
            values["area"] = area(who.device.scope, t)
        }
        values["nav_" + name] = true
        if values["title"] == nil { values["title"] = t["page_" + name] }
        let html = ConsoleTemplates.library.render(values, withTemplate: name) ?? ""
        return Self.html(html, status: status)
    }

    /// An HTML response with the pages' security headers (no scripts, no inline style, no framing, no caching).
    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        PageHeaders.html(html, status: status)
    }

    /// The coordinator's area in words: `Phường Ba Đình (00004)`, `Thành phố Hà Nội (01)` or the whole country.
    func area(_ scope: Scope, _ t: Catalogue) -> String {
        if let commune = scope.commune {
            return (CommuneCatalogue.shared.commune(commune).map { "\($0.name) (\(commune))" } ?? commune)
                + (scope.team.map { " · \(t["team"]) \($0)" } ?? "")
        }
        if let province = scope.province {
            return CommuneCatalogue.shared.provinces[province].map { "\($0) (\(province))" } ?? province
        }
        return t["whole_country"]
    }

    /// Runs CPU-heavy work (bcrypt) on NIO's thread pool, off Swift's cooperative pool.
    static func offPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}
