import Hummingbird
import Localization

extension Catalogue {
    /// The console's language for a request: `?lang=`, else the `fieldsync_lang` cookie, else Vietnamese.
    init(request: Request) {
        let asked = request.uri.queryParameters["lang"].map(String.init) ?? request.cookies["fieldsync_lang"]?.value ?? "vi"
        self.init(Language(code: asked) ?? .vietnamese)
    }
}
