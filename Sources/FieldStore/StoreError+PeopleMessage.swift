import Localization

extension StoreError: PeopleMessage {
    /// The message in the catalogue's language.
    public func message(_ t: Catalogue) -> String {
        let d = description
        return switch self {
        case .pseudonymKeyChanged(let pinned, let offered): t.error(d, "store.pseudonym_key", "\(offered)", "\(pinned)")
        case .locked: t.error(d, "store.locked")
        case .notEncrypted: t.error(d, "store.not_encrypted")
        case .passphraseTooShort: t.error(d, "store.passphrase_short")
        case .visitErased(let id): t.error(d, "store.visit_erased", String(id.suffix(8)))
        case .notYourVisit(let id, let volunteer): t.error(d, "store.not_your_visit", String(id.suffix(8)), volunteer)
        case .noRecovery: t.error(d, "store.no_recovery")
        case .noStorePath: t.error(d, "store.no_path")
        case .missing(let path): t.error(d, "store.missing", path)
        case .alreadyExists(let path): t.error(d, "store.exists", path)
        case .folderMissing(let path): t.error(d, "store.folder_missing", path)
        case .notAStore(let path): t.error(d, "store.not_a_store", path)
        case .schemaTooNew(let path, let found, let supported): t.error(d, "store.schema_new", path, "\(found)", "\(supported)")
        case .readOnly(let path): t.error(d, "store.read_only", path)
        case .diskFull(let path): t.error(d, "store.disk_full", path)
        case .busy(let path): t.error(d, "store.busy", path)
        case .damaged(let path, let detail): t.error(d, "store.damaged", path, detail)
        case .visitNotFound(let id): t.error(d, "store.visit_not_found", id)
        case .visitIDAmbiguous(let prefix, let matches):
            t.error(d, "store.visit_ambiguous", prefix, "\(matches.count)", matches.prefix(3).joined(separator: ", "))
        case .visitDeleted(let id): t.error(d, "store.visit_deleted", String(id.suffix(8)))
        case .nothingToChange: t.error(d, "store.nothing_to_change")
        case .householdNotFound(let given): t.error(d, "store.household_not_found", given)
        case .householdAmbiguous(let given, let matches): t.error(d, "store.household_ambiguous", given, matches.joined(separator: "; "))
        case .householdExists(let line): t.error(d, "store.household_exists", line)
        case .database(let path, let message): t.error(d, "store.database", path, message)
        }
    }
}
