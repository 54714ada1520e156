import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
import Localization

/// `fieldsync init`: creates the volunteer's store.
struct InitCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "init", abstract: Catalogue.process["help.init"],
                             discussion: Catalogue.process["help.init.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync --store lan.sqlite init --volunteer \"Nguyễn Thị Lan\" --team \\\n      T-00004-01 --commune 00004")
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.volunteer"])) var volunteer: String
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.team"])) var team: String
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.home_commune"])) var commune: String
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.consent_policy"])) var consentPolicy = "PDPL-2026-v1"
    @Flag(help: ArgumentHelp(Catalogue.process["help.opt.no_passphrase"])) var noPassphrase = false

    func run() throws {
        let path = try Paths.store(global)
        // Asked before the store is made, so a refused passphrase leaves nothing behind.
        var passphrase: String?
        if !noPassphrase {
            do {
                passphrase = try StoreAccess.newPassphrase(prompt: Catalogue.process["init.prompt"])
            } catch StoreError.locked {
                Console.warn(Catalogue.process["init.no_terminal"])
            }
            if let passphrase, passphrase.count < 8 { throw StoreError.passphraseTooShort }
        }
        let store = try FieldStore.create(at: path, volunteer: volunteer, team: team, commune: commune,
                                          consentPolicy: consentPolicy)
        if let passphrase { try store.setPassphrase(passphrase) }
        let place = CommuneCatalogue.shared.commune(store.profile.commune)
        print(Catalogue.process.format("init.created", path, store.profile.volunteer, store.profile.team,
                                       "\(place?.name ?? "") (\(store.profile.commune)), \(place?.provinceName ?? "")"))
    }
}
