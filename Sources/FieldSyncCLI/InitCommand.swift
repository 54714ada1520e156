import ArgumentParser
import CLISupport
import FieldModel
import FieldStore

/// `fieldsync init`: creates the volunteer's store.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a new field store for this laptop's volunteer.",
        discussion: """
            The store gets a fresh random replica id. It refuses to overwrite an existing file.
            On a terminal it asks for the passphrase that encrypts the citizens on this laptop
            ($FIELDSYNC_NEW_PASSPHRASE in scripts; --no-passphrase to leave the store unencrypted).

            Example:
              fieldsync --store lan.sqlite init --volunteer "Nguyễn Thị Lan" --team \\
                  T-00004-01 --commune 00004
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The volunteer's full name.") var volunteer: String
    @Option(help: "The team's code (letters, digits, - and _).") var team: String
    @Option(help: "The home commune's 5-digit code (2025 catalogue); new visits default to it.") var commune: String
    @Option(help: "The privacy-notice version citizens consent to.") var consentPolicy = "PDPL-2026-v1"
    @Flag(help: "Do not encrypt the store (a passphrase can be set later with `fieldsync passphrase`).") var noPassphrase = false

    func run() throws {
        let path = try Paths.store(global)
        // Asked before the store is made, so a refused passphrase leaves nothing behind.
        var passphrase: String?
        if !noPassphrase {
            do {
                passphrase = try StoreAccess.newPassphrase(prompt: "Passphrase for this laptop's visits (8 characters or more): ")
            } catch StoreError.locked {
                Console.warn("the store is not encrypted (no terminal to ask a passphrase on): set one with `fieldsync passphrase`")
            }
            if let passphrase, passphrase.count < 8 { throw StoreError.passphraseTooShort }
        }
        let store = try FieldStore.create(at: path, volunteer: volunteer, team: team, commune: commune,
                                          consentPolicy: consentPolicy)
        if let passphrase { try store.setPassphrase(passphrase) }
        let place = CommuneCatalogue.shared.commune(store.profile.commune)
        print("Created \(path) for \(store.profile.volunteer), team \(store.profile.team), commune "
              + "\(store.profile.commune) \(place?.name ?? "") (\(place?.provinceName ?? "")); replica \(store.profile.replicaID)")
    }
}
