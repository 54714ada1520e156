import FieldModel
import Localization

/// What a flagged visit needs, in the person's language: a visit outside the laptop's commune is told from the
/// catalogue; a visit the hub refused is checked again here with the same validation the hub runs, and told from the
/// catalogue when that finds the fault; otherwise the hub's own words are quoted.
public enum FlagText {
    /// The message for a flag of this store.
    public static func message(_ flag: FlaggedVisit, store: FieldStore, _ t: Catalogue) throws -> String {
        guard let stored = try store.visit(exactly: flag.record) else { return t.format("flag.refused", flag.message) }
        if flag.code == "out_of_scope" {
            return t.format("flag.out_of_scope", stored.visit.commune, try store.scopeCommune(), String(flag.record.suffix(8)))
        }
        do {
            _ = try Visit.validated(stored.state)
        } catch {
            return t.format("flag.refused", error.message(t))
        }
        return t.format("flag.refused", flag.message)
    }
}
