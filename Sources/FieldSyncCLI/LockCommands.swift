import ArgumentParser
import CLISupport
import FieldStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization

/// `fieldsync passphrase`: sets or changes the passphrase that encrypts this laptop's visits.
struct PassphraseCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "passphrase", abstract: Catalogue.process["help.passphrase"],
                             discussion: Catalogue.process["help.passphrase.discussion"] + "\n\n" + Catalogue.process["help.example"] + "\n  fieldsync passphrase")
    }
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let new = try StoreAccess.newPassphrase()
        let wasEncrypted = store.lockState != .none
        try store.setPassphrase(new)
        Console.note(Catalogue.process[wasEncrypted ? "lock.changed" : "lock.encrypted"])
    }
}

/// `fieldsync unlock`: types the passphrase once for the day.
struct UnlockCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "unlock", abstract: Catalogue.process["help.unlock"],
                             discussion: Catalogue.process["help.unlock.discussion"] + "\n\n" + Catalogue.process["help.example"] + "\n  fieldsync unlock")
    }
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.hours"])) var hours = StoreAccess.unlockHours

    func validate() throws {
        guard (1...24).contains(hours) else { throw ValidationError(Catalogue.process["lock.hours_range"]) }
    }

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        let t = Catalogue.process
        guard store.lockState == .locked else {
            Console.note(store.lockState == .none ? StoreError.notEncrypted.message(t) : t["lock.already_unlocked"])
            return
        }
        try store.unlock(passphrase: try StoreAccess.passphrase(prompt: t["lock.prompt"]), until: Date().addingTimeInterval(TimeInterval(hours * 3_600)))
        Console.note(t.format("lock.unlocked", "\(hours)"))
    }
}

/// `fieldsync lock`: closes the encrypted visits now.
struct LockCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "lock", abstract: Catalogue.process["help.lock"])
    }
    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        try store.lock()
        Console.note(store.lockState == .none ? StoreError.notEncrypted.message(Catalogue.process) : Catalogue.process["lock.locked"])
    }
}

/// `fieldsync recover`: replaces a lost passphrase through the hub's operator.
struct RecoverCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "recover", abstract: Catalogue.process["help.recover"],
                             discussion: Catalogue.process["help.recover.discussion"] + "\n\n" + Catalogue.process["help.example"] + "\n  fieldsync recover --request /media/usb/request.json")
    }
    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.request"], valueName: "path")) var request: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.answer"], valueName: "path")) var answer: String?

    func validate() throws {
        guard (request == nil) != (answer == nil) else { throw ValidationError(Catalogue.process["lock.request_or_answer"]) }
    }

    func run() throws {
        let store = try FieldStore.open(at: try Paths.store(global))
        if let request {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(try store.recoveryRequest()).write(to: URL(fileURLWithPath: request), options: .atomic)
            Console.note(Catalogue.process.format("lock.request_written", request))
        } else if let answer {
            let text = try String(contentsOfFile: answer, encoding: .utf8)
            let new = try StoreAccess.newPassphrase()
            try store.recover(answer: text, newPassphrase: new)
            Console.note(Catalogue.process["lock.recovered"])
        }
    }
}
