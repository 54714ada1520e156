import FieldModel
import FieldStore
import Foundation
import Localization
import RecordKinds

/// A record's form generated from its kind: each field the person types, in the kind's order, with its label, its
/// options, a hint and its own error; the first field in error (else the first field) takes the focus.
struct RecordFormView {
    /// Fields the program writes itself, never typed.
    static let hidden: Set<String> = ["volunteer", "team", "deleted", "erased", "followUpClosed"]

    let kind: RecordKind
    let t: Catalogue
    /// The values shown, by form name.
    var values: [String: String] = [:]
    /// The error and the field it belongs to.
    var problem: (field: String, text: String)?
    /// A field to focus when there is no error.
    var focus: String?
    /// Suggestions of a text field (a picker found without diacritics): value and its label.
    var lists: [String: [(value: String, label: String)]] = [:]
    /// Options of a field other than the kind's own (the store's services).
    var options: [String: [KindOption]] = [:]
    /// Fields left out (consent on an edit).
    var leaveOut: Set<String> = []

    /// The fields for the template.
    func fields() -> [[String: Any]] {
        var rows: [[String: Any]] = []
        let shown = kind.fields.filter { $0.system != true || $0.name == "consent" }.filter {
            $0.retired != true && !Self.hidden.contains($0.name) && !leaveOut.contains($0.name)
        }
        let focused = problem?.field ?? focus ?? shown.first.map { VisitForm.formName($0.name) }
        for field in shown {
            let name = VisitForm.formName(field.name)
            var row: [String: Any] = ["name": name, "label": t.words(field.labels), "required": field.required == true]
            if name == focused { row["autofocus"] = true }
            if let problem, problem.field == name { row["problem"] = problem.text }
            let value = values[name] ?? ""
            if let choices = options[field.name] ?? field.options?.filter({ $0.retired != true }) {
                row["options"] = true
                row["blank"] = field.required != true || value.isEmpty
                row["choices"] = choices.map { ["code": $0.code, "label": t.words($0.labels), "selected": $0.code == value] as [String: Any] }
            } else {
                switch field.type {
                case .consent:
                    row["check"] = true
                    row["checked"] = value != "0"
                    row["hint"] = t["app_consent_hint"]
                case .boolean:
                    row["options"] = true
                    row["blank"] = true
                    row["choices"] = [("1", t["yes"]), ("0", t["no"])].map { ["code": $0.0, "label": $0.1, "selected": $0.0 == value] as [String: Any] }
                case .text where (field.maxLength ?? 0) > 200:
                    row["area"] = true
                    row["wide"] = true
                    row["value"] = value
                    row["maxlength"] = field.maxLength ?? 2000
                default:
                    row["text"] = true
                    row["value"] = value
                    row["maxlength"] = field.maxLength ?? 120
                    if [.integer, .citizenID].contains(field.type) { row["numeric"] = true }
                    if field.type == .datetime { row["placeholder"] = name == "comeBack" ? "dd/mm/yyyy" : "dd/mm/yyyy HH:mm" }
                    if let list = lists[name], !list.isEmpty {
                        row["list"] = list.map { ["value": $0.value, "label": $0.label] }
                        row["list_any"] = true
                    }
                }
            }
            if t.has("app_hint_" + name) { row["hint_below"] = t["app_hint_" + name] }
            rows.append(row)
        }
        return rows
    }
}
