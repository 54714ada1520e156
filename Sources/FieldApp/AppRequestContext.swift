import Hummingbird

/// One request to the app: the session's form token once `AppMiddleware` found the session cookie.
struct AppRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The form token of the request's session; nil before the middleware ran or without a session.
    var formToken: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }
}
