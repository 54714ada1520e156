import FieldModel
import FieldStore
import Localization

/// What a flagged visit needs, in the person's language: a visit outside the laptop's commune is told from the
/// catalogue; a visit the hub refused keeps the hub's own words (its validation message).
public enum FlagText {
    /// The message for a flag of this store.
    public static func message(_ flag: FlaggedVisit, store: FieldStore, _ t: Catalogue) throws -> String {
        guard flag.code == "out_of_scope", let visit = try store.visit(exactly: flag.record)?.visit else {
            return t.format("flag.refused", flag.message)
        }
        return t.format("flag.out_of_scope", visit.commune, try store.scopeCommune(), String(flag.record.suffix(8)))
    }
}
