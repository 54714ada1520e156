import ArgumentParser
import CLISupport
import FieldStore
import Foundation

/// `fieldsync passphrase`: sets or changes the passphrase that encrypts this laptop's visits.
struct PassphraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "passphrase",
        abstract: "Set or change the passphrase that encrypts the visits on this laptop.",
        discussion: """
            The first time, every visit already logged is encrypted in place (names, phones, notes,
            citizen IDs, conflict entries). Later, the old passphrase is asked first. A lost
            passphrase can be replaced through the hub's operator: `fieldsync recover`.
            Scripts give the new passphrase in $FIELDSYNC_NEW_PASSPHRASE (and the old one in
            $FIELDSYNC_PASSPHRASE).

            Example:
              fieldsync passphrase
            """)
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let new = try StoreAccess.newPassphrase()
        let wasEncrypted = store.lockState != .none
        try store.setPassphrase(new)
        Console.note(wasEncrypted ? "passphrase changed" : "the visits on this laptop are now encrypted; `fieldsync unlock` opens them each day")
    }
}

/// `fieldsync unlock`: types the passphrase once for the day.
struct UnlockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "unlock",
        abstract: "Open the encrypted visits for the day (list, show, edit, sync); `log` never needs it.",
        discussion: """
            The key stays in memory (a RAM folder, gone at power-off) for --hours, 16 by default,
            or until `fieldsync lock`.

            Example:
              fieldsync unlock
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Hours the store stays unlocked (1 to 24).") var hours = StoreAccess.unlockHours

    func validate() throws {
        guard (1...24).contains(hours) else { throw ValidationError("--hours must be from 1 to 24") }
    }

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        guard store.lockState == .locked else {
            Console.note(store.lockState == .none ? StoreError.notEncrypted.description : "already unlocked")
            return
        }
        try store.unlock(passphrase: try StoreAccess.passphrase(prompt: "Passphrase: "), until: Date().addingTimeInterval(TimeInterval(hours * 3_600)))
        Console.note("unlocked for \(hours) hours")
    }
}

/// `fieldsync lock`: closes the encrypted visits now.
struct LockCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lock", abstract: "Close the encrypted visits now (before lending the laptop, at the end of the day).")
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        try store.lock()
        Console.note(store.lockState == .none ? StoreError.notEncrypted.description : "locked: `fieldsync log` still works")
    }
}

/// `fieldsync recover`: replaces a lost passphrase through the hub's operator.
struct RecoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recover",
        abstract: "Replace a lost passphrase through the hub's operator (two files carried by hand).",
        discussion: """
            1. `fieldsync recover --request request.json` on this laptop;
            2. the operator: `fieldsync-server recover-store request.json --answer answer.txt`;
            3. `fieldsync recover --answer answer.txt` here, then type a new passphrase.
            Works for a store that was unlocked at least once after its enrolment.

            Example:
              fieldsync recover --request /media/usb/request.json
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp("Write a recovery request to this file.", valueName: "path")) var request: String?
    @Option(help: ArgumentHelp("Apply the operator's answer from this file.", valueName: "path")) var answer: String?

    func validate() throws {
        guard (request == nil) != (answer == nil) else { throw ValidationError("give --request FILE or --answer FILE") }
    }

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        if let request {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(try store.recoveryRequest()).write(to: URL(fileURLWithPath: request), options: .atomic)
            Console.note("recovery request written to \(request): carry it to the hub's operator")
        } else if let answer {
            let text = try String(contentsOfFile: answer, encoding: .utf8)
            let new = try StoreAccess.newPassphrase()
            try store.recover(answer: text, newPassphrase: new)
            Console.note("recovered: the store has its new passphrase and is unlocked")
        }
    }
}
