import HTTPTypes
import Hummingbird
import Localization
import Logging
import WebUI

/// The app's guard and its error pages. Every request must name the app's own address in `Host` (a page of another
/// site reaching 127.0.0.1 through DNS rebinding names its own); every form must come from the app's own pages
/// (`Origin`, `Sec-Fetch-Site`) and carry the session's token; every page but the door needs this launch's session
/// cookie (HttpOnly, SameSite=Strict). Errors are pages in the person's language.
struct AppMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let gate: AppGate
    /// The hosts the app answers to: `127.0.0.1:PORT` and `localhost:PORT`, set once the port is known.
    let hosts: @Sendable () -> Set<String>
    static let cookie = "fieldsync_app"
    /// Addresses open without a session: the door, the stylesheet and script, and the page that says how to get in.
    static let open: Set<String> = ["/open", "/style.css", "/app.js"]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let t = Catalogue(appRequest: request)
        var context = context
        var response: Response
        do {
            guard let host = request.head.authority, hosts().contains(host.lowercased()) else { throw AppError.wrongHost }
            if request.method == .post, Self.crossSite(request, host: host) { throw AppError.forgedForm }
            if !Self.open.contains(request.uri.path) {
                guard let token = gate.formToken(session: request.cookies[Self.cookie]?.value) else { throw AppError.notOpened }
                context.formToken = token
            }
            response = try await next(request, context)
        } catch AppError.locked where request.method == .get {
            response = Response.redirect(to: "/unlock", type: .found)
        } catch let error as AppError {
            response = AppPages.message(t["app_error"], error.text(t), status: error.status, t: t,
                                        csrf: error == .notOpened || error == .wrongHost ? nil : context.formToken)
        } catch let error as HTTPError where error.status == .notFound {
            response = AppPages.message(t["app_error"], AppError.notFound.text(t), status: 404, t: t, csrf: context.formToken)
        } catch {
            context.logger.error("app request failed", metadata: ["error": "\(error)"])
            response = AppPages.message(t["app_error"], AppPages.describe(error, t), status: 500, t: t, csrf: context.formToken)
        }
        if let asked = request.uri.queryParameters["lang"], asked == "vi" || asked == "en" {
            response.setCookie(Cookie(name: "fieldsync_app_lang", value: String(asked), maxAge: 365 * 86_400, path: "/", secure: false, sameSite: .strict))
        }
        return response
    }

    /// Whether a form came from somewhere else than the app's own pages.
    static func crossSite(_ request: Request, host: String) -> Bool {
        if let name = HTTPField.Name("Sec-Fetch-Site"), let site = request.headers[name], site != "same-origin" { return true }
        guard let origin = request.headers[.origin] else { return false }
        return origin.lowercased() != "http://\(host.lowercased())"
    }
}

extension Catalogue {
    /// The app's language for a request: `?lang=`, else the cookie, else Vietnamese.
    init(appRequest request: Request) {
        let asked = request.uri.queryParameters["lang"].map(String.init) ?? request.cookies["fieldsync_app_lang"]?.value ?? "vi"
        self.init(Language(code: asked) ?? .vietnamese)
    }
}
