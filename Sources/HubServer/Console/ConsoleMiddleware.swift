import HTTPTypes
import HubCore
import HubSQLite
import Hummingbird
import Localization
import Logging
import WebUI

/// The console's outer layer: refuses forms posted from another site, remembers a language choice
/// (`?lang=`) in a cookie, sends a person who must sign in to the sign-in page, and shows errors
/// as a page in the person's language instead of the API's JSON.
struct ConsoleMiddleware: RouterMiddleware {
    typealias Context = HubRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let t = Catalogue(request: request)
        var response: Response
        do {
            if request.method == .post, Self.crossSite(request) { throw ConsoleError.forgedForm }
            response = try await next(request, context)
        } catch ConsoleError.signInNeeded {
            response = Response.redirect(to: "/console/sign-in", type: .normal)
        } catch let error as ConsoleError {
            response = Self.message(error.text(t), status: error.status, t: t)
        } catch let error as HubError {
            if case .tooManyRequests = error {} else if error.code.status >= 500 {
                context.logger.error("console request failed", metadata: ["error": "\(error.logDetail ?? error.description)"])
            }
            response = Self.message(ConsoleError.text(error, t), status: error.code.status, t: t)
        } catch let error as HTTPError where error.status == .notFound {
            response = Self.message(t["error"], status: 404, t: t)
        }
        if let asked = request.uri.queryParameters["lang"], asked == "vi" || asked == "en" {
            response.setCookie(Cookie(name: "fieldsync_lang", value: String(asked), maxAge: 365 * 86_400, path: "/console",
                                      secure: false, sameSite: .strict))
        }
        return response
    }

    /// Whether a form came from another site (the browser says so in `Origin` or `Sec-Fetch-Site`).
    static func crossSite(_ request: Request) -> Bool {
        if let name = HTTPField.Name("Sec-Fetch-Site"), let site = request.headers[name], site != "same-origin", site != "none" {
            return true
        }
        guard let origin = request.headers[.origin] else { return false }
        guard let host = request.head.authority else { return true }
        return !(origin == "http://\(host)" || origin == "https://\(host)")
    }

    /// The error page.
    static func message(_ text: String, status: Int, t: Catalogue) -> Response {
        let values: [String: Any] = ["t": t.table, "heading": t["error"], "text": text, "back": "javascript:history.back()",
                                     "title": t["page_message"]]
        return ConsoleRoutes.html(ConsoleTemplates.library.render(values, withTemplate: "message") ?? text,
                                  status: HTTPResponse.Status(code: status))
    }
}

/// A URL-encoded form (what browsers send): a POST body of at most 16 KiB read within the hub's body deadline,
/// or a GET query (Hummingbird's query parameters leave `+` undecoded).
struct ConsoleForm {
    private let fields: FormFields

    /// - Parameter bytes: the largest body taken (a form's fields; a pasted list is larger).
    init(_ request: Request, _ context: HubRequestContext, limits: ServerLimits, bytes limit: Int = 16 * 1024) async throws {
        let bytes = try await HubRoutes.body(of: request, context, limit: limit, seconds: limits.bodySeconds)
        fields = FormFields(String(decoding: bytes, as: UTF8.self))
    }

    /// The query of a GET form.
    init(query request: Request) {
        fields = FormFields(request.uri.query ?? "")
    }

    subscript(_ key: String) -> String? { fields[key] }

    /// Every field whose name starts with `prefix` (a per-field choice such as `f.note`).
    func fields(prefixed prefix: String) -> [String: String] { fields.fields(prefixed: prefix) }

    /// A field with surrounding spaces trimmed, nil when empty.
    func text(_ key: String) -> String? { fields.text(key) }
}
