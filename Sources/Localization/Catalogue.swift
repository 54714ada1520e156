import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

/// Everything a person reads, in one language: labels and messages by key, labels of every code (services,
/// outcomes, reasons, fields, roles, conflict kinds), and numbers and times as people in Vietnam write them.
/// A key missing from the table shows as `⟦key⟧` and fails the catalogue's tests; it never falls back silently.
public struct Catalogue: Sendable {
    /// The language of every text.
    public let language: Language
    /// Texts by key.
    public let table: [String: String]
    /// A published version of the visit kind whose labels this catalogue reads (nil: the built-in one).
    public private(set) var published: RecordKind?

    /// The catalogue of a language.
    public init(_ language: Language) {
        self.language = language
        table = language == .english ? Self.english : Self.vietnamese
    }

    /// The same catalogue reading the labels of a published version of the visit kind (its new fields and options).
    public func reading(_ visitKind: RecordKind?) -> Catalogue {
        var catalogue = self
        if let visitKind, visitKind.version > (Self.visitKind?.version ?? 0) { catalogue.published = visitKind }
        return catalogue
    }

    /// The catalogue of `Language.process` (`--lang`, `FIELDSYNC_LANG`, else Vietnamese).
    public static var process: Catalogue { Catalogue(Language.process) }

    /// The text of a key.
    public subscript(_ key: String) -> String { table[key] ?? "⟦\(key)⟧" }

    /// The text of a key with `%1`, `%2`, … replaced by the arguments.
    public func format(_ key: String, _ arguments: String...) -> String {
        var text = self[key]
        for (i, argument) in arguments.enumerated().reversed() { text = text.replacing("%\(i + 1)", with: argument) }
        return text
    }

    /// Whether the table has a key.
    public func has(_ key: String) -> Bool { table[key] != nil }

    // MARK: Numbers and times

    /// `1.234.567` (Vietnamese) or `1,234,567` (English).
    public func number(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(language == .vietnamese ? "." : ",") }
            out.append(c)
        }
        return (value < 0 ? "-" : "") + out
    }

    /// `45,6` (Vietnamese) or `45.6` (English): one decimal.
    public func decimal(_ value: Double) -> String {
        // Rounded to tenths by hand: `String(format:)` is Foundation's, outside FoundationEssentials (issue 34).
        guard value.isFinite, value.magnitude < 1e15 else { return "\(value)" }
        let tenths = (value * 10).rounded()
        let whole = Int(tenths.magnitude)
        return (tenths < 0 ? "-" : "") + "\(whole / 10)" + (language == .vietnamese ? "," : ".") + "\(whole % 10)"
    }

    /// `45,6 %` (Vietnamese) or `45.6%` (English).
    public func percent(_ value: Double) -> String { decimal(value) + (language == .vietnamese ? " %" : "%") }

    /// `25/11/2026 08:15` in Vietnam time.
    public func time(_ date: Date) -> String { VietnamTime.display(date) }

    /// A canonical UTC timestamp as `25/11/2026 08:15` in Vietnam time; `—` for none.
    public func time(_ canonical: String?) -> String {
        guard let canonical, !canonical.isEmpty else { return "—" }
        return VietnamTime.display(canonical: canonical)
    }

    /// A day `2026-11-25` as `25/11/2026`.
    public func day(_ isoDay: String) -> String {
        let parts = isoDay.split(separator: "-")
        guard parts.count == 3 else { return isoDay }
        return "\(parts[2])/\(parts[1])/\(parts[0])"
    }

    /// "có"/"không" or "yes"/"no".
    public func yesNo(_ value: Bool) -> String { self[value ? "yes" : "no"] }

    // MARK: Codes

    /// The label of a service code, from the visit's kind document (a code it does not name shows as itself).
    public func service(_ code: String) -> String { option("service", code) }
    /// The codes of the visit's services, in the kind's order (those of the published version it reads, retired ones left out).
    public var serviceCodes: [String] {
        ((published ?? Self.visitKind)?.field("service")?.options ?? []).filter { $0.retired != true }.map(\.code)
    }
    /// The label of an outcome code.
    public func outcome(_ code: String) -> String { option("outcome", code) }
    /// The label of a failure reason code; empty for none.
    public func reason(_ code: String?) -> String {
        guard let code, !code.isEmpty else { return "" }
        return option("reason", code)
    }
    /// The label of a review state (issue 33): accepted, needs correction, rejected.
    public func review(_ code: String) -> String { option("review", code) }
    /// The label of a visit field, from the visit's kind document.
    public func field(_ name: String) -> String {
        ((published ?? Self.visitKind)?.field(name) ?? Self.sessionKind?.field(name)).map { words($0.labels) } ?? name
    }

    /// The label of an option of a visit field.
    func option(_ field: String, _ code: String) -> String {
        (published ?? Self.visitKind)?.field(field)?.options?.first { $0.code == code }.map { words($0.labels) } ?? code
    }

    /// Labels in this language.
    public func words(_ labels: KindLabels) -> String { language == .english ? labels.en : labels.vi }

    /// The visit as FieldSync is built with it (Protocol/kinds/visit.json): the labels of its fields and options live
    /// there, not in the catalogue (FieldModel's one reading of it; without the document labels show as their codes).
    static var visitKind: RecordKind? { Visit.builtInKind }
    /// The training session as FieldSync is built with it (Protocol/kinds/session.json), for the labels of its own fields.
    /// Losing the error is safe for the same reason as `visitKind`.
    static let sessionKind: RecordKind? = try? RecordKind.builtIn("session")
    /// The label of a role (`volunteer`, `coordinator`).
    public func role(_ code: String) -> String { label("role.", code) }
    /// The label of a conflict kind (`conflict`, `edit-vs-delete`).
    public func conflictKind(_ code: String) -> String { label("conflict_kind.", code) }

    /// The label of a code under a prefix (`refusal.`, `choice.`), the code itself when the catalogue has none.
    public func label(_ prefix: String, _ code: String) -> String { table[prefix + code] ?? code }

    /// A visit field's value as people read it: labels for codes, Vietnam time, a CCCD masked, consent in
    /// words, yes/no, "không có" for none. `name` turns a volunteer code into a person where one is known.
    public func value(_ value: FieldValue?, of field: String) -> String {
        switch value {
        case nil, .null?: return self["none"]
        case .bool(let b)?: return yesNo(b)
        case .int(let i)?: return number(Int(i))
        case .object(let o)?:
            if let masked = o["masked"]?.text { return masked }
            if field == VisitField.consent.rawValue {
                return format("consent_given", time(o["at"]?.text), o["by"]?.text ?? "—", o["policy"]?.text ?? "—")
            }
            return o.keys.sorted().map { "\($0): \(self.value(o[$0], of: $0))" }.joined(separator: ", ")
        case .text(let s)?:
            guard !s.isEmpty else { return self["none"] }
            switch VisitField(rawValue: field) {
            case .service?: return service(s)
            case .outcome?: return outcome(s)
            case .reason?: return reason(s)
            case .visitedAt?: return time(s)
            case .commune?: return CommuneCatalogue.shared.commune(s).map { "\($0.name) (\(s))" } ?? s
            default:
                // A field of the visit kind beyond the columns: a moment in Vietnam time (a day when it is a Vietnam
                // midnight, as a come-back date), an option by its label.
                guard let kindField = (published ?? Self.visitKind)?.field(field) ?? Self.visitKind?.field(field) else { return s }
                switch kindField.type {
                case .datetime:
                    if let day = VietnamTime.day(ofCanonical: s), VietnamTime.start(ofDay: day) == s { return self.day(day) }
                    return time(s)
                case .code: return kindField.options?.first { $0.code == s }.map { words($0.labels) } ?? s
                default: return s
                }
            }
        }
    }
}
