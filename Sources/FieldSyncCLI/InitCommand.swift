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

            Example:
              fieldsync --store lan.sqlite init --volunteer "Nguyễn Thị Lan" --team \\
                  T-00004-01 --commune 00004
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The volunteer's full name.") var volunteer: String
    @Option(help: "The team's code (letters, digits, - and _).") var team: String
    @Option(help: "The home commune's 5-digit code (2025 catalogue); new visits default to it.") var commune: String
    @Option(help: "The privacy-notice version citizens consent to.") var consentPolicy = "PDPL-2026-v1"

    func run() throws {
        let path = try Paths.store(global)
        let store = try FieldStore.create(at: path, volunteer: volunteer, team: team, commune: commune,
                                          consentPolicy: consentPolicy)
        let place = CommuneCatalogue.shared.commune(store.profile.commune)
        print("Created \(path) for \(store.profile.volunteer), team \(store.profile.team), commune "
              + "\(store.profile.commune) \(place?.name ?? "") (\(place?.provinceName ?? "")); replica \(store.profile.replicaID)")
    }
}
