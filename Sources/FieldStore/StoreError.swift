#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform
import SQLiteKit

/// Why a store operation failed, in words the volunteer can act on.
public enum StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    case noStorePath
    case missing(path: String)
    case alreadyExists(path: String)
    case folderMissing(path: String)
    case notAStore(path: String)
    case schemaTooNew(path: String, found: Int, supported: Int)
    case readOnly(path: String)
    case diskFull(path: String)
    case busy(path: String)
    case damaged(path: String, detail: String)
    case visitNotFound(id: String)
    case visitIDAmbiguous(prefix: String, matches: [String])
    case visitDeleted(id: String)
    case householdNotFound(given: String)
    case householdAmbiguous(given: String, matches: [String])
    case householdExists(line: String)
    case nothingToChange
    case database(path: String, message: String)
    case pseudonymKeyChanged(pinned: Int, offered: Int)
    case locked
    case notEncrypted
    case passphraseTooShort
    case noRecovery
    case visitErased(id: String)
    /// Consent withdrawn on a visit another volunteer's laptop logged.
    case notYourVisit(id: String, volunteer: String)

    public var description: String {
        switch self {
        case .pseudonymKeyChanged(let pinned, let offered):
            "the hub answered with pseudonym key version \(offered), but this laptop holds version \(pinned) of another key: "
                + "nothing was changed; the laptop may be talking to another hub than its own: tell your coordinator"
        case .locked:
            "this store is locked: run `fieldsync unlock` and type your passphrase (once a day); `fieldsync log` works without it"
        case .notEncrypted:
            "this store has no passphrase yet: set one with `fieldsync passphrase` (its visits are then encrypted on the disk)"
        case .passphraseTooShort:
            "the passphrase must have at least 8 characters (a short sentence is easiest to remember): nothing was changed"
        case .visitErased(let id):
            "visit \(id.suffix(8)) has had its citizen's data erased (consent withdrawn or a request): its name, phone, "
                + "note and CCCD cannot be set again; log a new visit if the citizen agrees again"
        case .notYourVisit(let id, let volunteer):
            "visit \(id.suffix(8)) was logged by \(volunteer) on another laptop: only that laptop, or your coordinator (the console, "
                + "or `fieldsync-server subject erase` at the hub), can erase its citizen's data; nothing was changed"
        case .noRecovery:
            "this store cannot be recovered through the hub: it was never unlocked after enrolment, or no recovery was requested; "
                + "nothing was changed"
        case .noStorePath:
            "no store given: pass --store PATH or set FIELDSYNC_STORE"
        case .missing(let path):
            "no FieldSync store at \(path): create one with `fieldsync init --volunteer NAME --team CODE --commune CODE`, "
                + "or point --store / FIELDSYNC_STORE at the right file"
        case .alreadyExists(let path):
            "\(path) already exists: FieldSync will not overwrite it; choose another path or remove the old file yourself"
        case .folderMissing(let path):
            "the folder for \(path) does not exist: create it first, or choose another path"
        case .notAStore(let path):
            "\(path) is not a FieldSync field store: check the --store path"
        case .schemaTooNew(let path, let found, let supported):
            "the store \(path) has schema version \(found), but this fieldsync knows only up to \(supported): "
                + "it was written by a newer FieldSync; install the newer version (nothing was changed)"
        case .readOnly(let path):
            "cannot write to \(path) or its folder (read-only disk or no permission): "
                + "move the store to a writable folder; nothing was saved"
        case .diskFull(let path):
            "the disk holding \(path) is full: free some space and run the command again; nothing was saved"
        case .busy(let path):
            "\(path) is locked by another fieldsync that is still running: wait for it to finish and try again"
        case .damaged(let path, let detail):
            "the store \(path) is damaged (\(detail)): keep a copy of the file and ask your coordinator for help"
        case .visitNotFound(let id):
            "no visit with id \(id) in this store: `fieldsync list` shows the ids"
        case .visitIDAmbiguous(let prefix, let matches):
            "\(prefix) matches \(matches.count) visits (\(matches.prefix(3).joined(separator: ", "))…): give more characters of the id"
        case .visitDeleted(let id):
            "visit \(id) was deleted: it can no longer be edited"
        case .householdNotFound(let given):
            "no household of this laptop matches \(given): `fieldsync household list` shows them"
        case .householdAmbiguous(let given, let matches):
            "\(given) matches several households (\(matches.joined(separator: "; "))): give more of the address or the head's name"
        case .householdExists(let line):
            "this household is in the list already: \(line)"
        case .nothingToChange:
            "nothing to change: give at least one field to edit (e.g. --outcome done)"
        case .database(let path, let message):
            "the store \(path) could not be used: \(message)"
        }
    }

    /// Translates a low-level error raised while using the store at `path` into a store error.
    static func wrap(_ error: any Error, path: String) -> any Error {
        switch error {
        case let error as SQLiteError:
            if error.isDiskFull { return StoreError.diskFull(path: path) }
            if error.isReadOnly || !canWrite(beside: path) { return StoreError.readOnly(path: path) }
            if error.code == .busy || error.code == .locked { return StoreError.busy(path: path) }
            if error.code == .notadb { return StoreError.notAStore(path: path) }
            if error.code == .corrupt { return StoreError.damaged(path: path, detail: error.message) }
            return StoreError.database(path: path, message: error.message)
        case let error as MigrationError:
            if case .schemaTooNew(let found, let supported) = error {
                return StoreError.schemaTooNew(path: path, found: found, supported: supported)
            }
            return error
        default:
            return error
        }
    }

    /// Whether the store file (if it exists) and its folder are writable: SQLite needs both, even to read
    /// a WAL database, and its own error then only says "unable to open".
    private static func canWrite(beside path: String) -> Bool {
        let files = FileManager.default
        let folder = FilePaths.folder(of: path)
        return files.isWritableFile(atPath: folder.isEmpty ? "." : folder)
            && (!files.fileExists(atPath: path) || files.isWritableFile(atPath: path))
    }
}
