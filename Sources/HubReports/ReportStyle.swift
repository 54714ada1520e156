import FieldModel
import Localization

/// Whom a report is laid out for. People read it in their language, with labels for codes, Vietnam time,
/// numbers as `1.234` and a compact layout; programs (CSV) read stable English column names, codes and UTC
/// ISO 8601 times, every column.
public struct ReportStyle: Sendable {
    /// The words, numbers and times of people's layout.
    public let catalogue: Catalogue
    /// Whether people read it (else programs).
    public let forPeople: Bool

    /// The layout for people in a language.
    public static func people(_ language: Language) -> ReportStyle { ReportStyle(catalogue: Catalogue(language), forPeople: true) }
    /// The layout for programs.
    public static let programs = ReportStyle(catalogue: Catalogue(.english), forPeople: false)

    /// A label: the catalogue's for people, the stable English name for programs.
    func label(_ key: String, _ program: String) -> String { forPeople ? catalogue[key] : program }
    /// A column titled by `label`.
    func column(_ key: String, _ program: String, numeric: Bool = false) -> ReportDocument.Column {
        .init(label(key, program), numeric: numeric)
    }
    /// A count.
    func count(_ n: Int) -> String { forPeople ? catalogue.number(n) : "\(n)" }
    /// A moment: Vietnam time for people, as stored for programs.
    func time(_ canonical: String?) -> String { forPeople ? catalogue.time(canonical) : canonical ?? "" }
    /// A service, outcome or reason code: its label for people.
    func service(_ code: String) -> String { forPeople ? catalogue.service(code) : code }
    func outcome(_ code: String) -> String { forPeople ? catalogue.outcome(code) : code }
    func reason(_ code: String) -> String { forPeople ? catalogue.reason(code) : code }
    /// A commune: its name for people (the code when unknown), its code for programs.
    func commune(_ code: String?) -> String {
        guard let code else { return "" }
        return forPeople ? CommuneCatalogue.shared.commune(code)?.name ?? code : code
    }
}
