import FieldModel
import FieldStore
import Foundation
import Hummingbird
import Localization
import WebUI

/// Renders the app's pages: the layout's values (language, session token, the volunteer, the flag count) and the page's.
enum AppPages {
    /// What every page's header shows, read from the store with the page.
    struct Header: Sendable {
        var volunteer = ""
        var team = ""
        var lockable = false
        var flags = 0
    }

    /// A page of the open app.
    static func page(_ name: String, _ values: [String: Any], t: Catalogue, csrf: String?, header: Header?,
                     status: HTTPResponse.Status = .ok, script: Bool = false) -> Response {
        var values = values
        values["t"] = t.table
        values["style_version"] = Stylesheet.version
        values["csrf"] = csrf
        if let header, csrf != nil {
            values["open"] = true
            values["volunteer"] = header.volunteer
            values["team"] = header.team
            values["lockable"] = header.lockable
            values["flag_count"] = header.flags > 0 ? t.number(header.flags) : nil
        }
        if script {
            values["script"] = true
            values["script_version"] = AppScript.version
        }
        values["nav_" + name] = true
        if values["title"] == nil { values["title"] = t["app_page_" + name] }
        let html = AppTemplates.library.render(clean(values) ?? [:], withTemplate: name) ?? ""
        return PageHeaders.html(html, status: status, scripts: script)
    }

    /// The values without the optionals that hold nothing (mustache would print an empty optional as `nil` and
    /// treat it as true), the others unwrapped, through lists and nested values.
    static func clean(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        if mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return nil }
            return clean(wrapped)
        }
        if let dictionary = value as? [String: Any] { return dictionary.compactMapValues(clean) }
        if let array = value as? [[String: Any]] { return array.map { $0.compactMapValues(clean) } }
        return value
    }

    /// A page with a heading and a sentence (errors, the door).
    static func message(_ heading: String, _ text: String, status: Int = 200, t: Catalogue, csrf: String?,
                        link: (String, String)? = nil) -> Response {
        var values: [String: Any] = ["heading": heading, "text": text, "title": heading]
        if let link { (values["link"], values["link_text"]) = link }
        return page("message", values, t: t, csrf: csrf, header: csrf == nil ? nil : Header(), status: HTTPResponse.Status(code: status))
    }

    /// An error in the person's words: the message of a domain error, else its description.
    static func describe(_ error: any Error, _ t: Catalogue) -> String {
        if let message = error as? any PeopleMessage { return message.message(t) }
        if let error = error as? AppError { return error.text(t) }
        return String(describing: error)
    }
}
