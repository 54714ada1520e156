import ArgumentParser
import FieldStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// Opens the field store for a command, unlocking it first when the command reads personal fields.
/// The passphrase comes from `$FIELDSYNC_PASSPHRASE` (scripts), else from the terminal (not echoed);
/// once typed, the store stays unlocked until `unlockHours` later (RAM only, `fieldsync lock` ends it).
public enum StoreAccess {
    /// How long a typed passphrase keeps the store unlocked: a working day.
    public static let unlockHours = 16

    /// The store at `path`; with `reading`, unlocked (asking for the passphrase when needed).
    public static func open(_ path: String, reading: Bool) throws -> FieldStore {
        let store = try FieldStore.open(at: path)
        if reading, store.lockState == .locked {
            try store.unlock(passphrase: try passphrase(prompt: "Passphrase for this laptop's visits: "),
                             until: Date().addingTimeInterval(TimeInterval(unlockHours * 3_600)))
        }
        return store
    }

    /// A new passphrase: `$FIELDSYNC_NEW_PASSPHRASE` in scripts, else typed twice at the terminal; one too short
    /// or two that differ are asked again (three tries), so a typo never locks the store.
    /// - Throws: `StoreError.locked` with no terminal and no variable; `.passphraseTooShort` or `ValidationError` after three tries.
    public static func newPassphrase(prompt: String = "New passphrase (8 characters or more): ") throws -> String {
        if let given = ProcessInfo.processInfo.environment["FIELDSYNC_NEW_PASSPHRASE"], !given.isEmpty {
            guard given.count >= 8 else { throw StoreError.passphraseTooShort }
            return given
        }
        guard Terminal.inputIsInteractive else { throw StoreError.locked }
        var problem: any Error = StoreError.passphraseTooShort
        for _ in 0..<3 {
            guard let first = Terminal.readSecret(prompt) else { throw StoreError.locked }
            guard first.count >= 8 else {
                problem = StoreError.passphraseTooShort
                Console.warn("too short: at least 8 characters (a short sentence is easiest to remember); try again")
                continue
            }
            guard let again = Terminal.readSecret("The same again: ") else { throw StoreError.locked }
            guard again == first else {
                problem = ValidationError("the two passphrases differ: nothing was changed")
                Console.warn("the two differ; try again")
                continue
            }
            return first
        }
        throw problem
    }

    /// A passphrase: `$FIELDSYNC_PASSPHRASE` (or `environment` given), else typed at the terminal.
    /// - Throws: `StoreError.locked` when neither is available.
    public static func passphrase(prompt: String, environment: String = "FIELDSYNC_PASSPHRASE") throws -> String {
        if let given = ProcessInfo.processInfo.environment[environment], !given.isEmpty { return given }
        guard let typed = Terminal.readSecret(prompt) else { throw StoreError.locked }
        return typed
    }
}
