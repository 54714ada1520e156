import FieldModel
import Foundation
import Localization
import SyncCore

/// The console's words in the page's language (Vietnamese by default, English with the switch): the
/// catalogue, with its table handed to templates (`{{t.visits}}`).
struct ConsoleText: Sendable {
    /// The words, numbers and times.
    let catalogue: Catalogue
    /// `vi` or `en`.
    var language: String { catalogue.language.rawValue }
    /// Labels by key, for templates.
    var labels: [String: String] { catalogue.table }

    init(language: String) { catalogue = Catalogue(Language(code: language) ?? .vietnamese) }

    subscript(_ key: String) -> String { catalogue[key] }
    func number(_ value: Int) -> String { catalogue.number(value) }
    func percent(_ value: Double) -> String { catalogue.percent(value) }
    func time(_ canonical: String?) -> String { catalogue.time(canonical) }
    func service(_ code: String) -> String { catalogue.service(code) }
    func outcome(_ code: String) -> String { catalogue.outcome(code) }
    func reason(_ code: String?) -> String { catalogue.reason(code) }
    func value(_ value: FieldValue?, of field: String) -> String { catalogue.value(value, of: field) }
}
