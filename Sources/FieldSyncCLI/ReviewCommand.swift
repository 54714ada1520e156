import ArgumentParser
import CLISupport
import FieldStore
import Localization
import TextSafety

/// `fieldsync review`: the visits a coordinator returned for correction, with the coordinator's comment (issue 33).
/// (`fieldsync flagged` keeps its meaning: visits the hub refused.)
struct ReviewCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "review", abstract: Catalogue.process["help.review"])
    }

    @OptionGroup var global: GlobalOptions

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let t = Catalogue.process
        let returned = try store.needsCorrection()
        guard !returned.isEmpty else { return Console.note(t["review.none"]) }
        for (stored, review) in returned {
            print(SafeText.terminal(t.format("review.needs_correction_line", String(stored.visit.id.suffix(8)), stored.visit.citizenName,
                                             review.comment ?? t.review(review.state.rawValue))))
        }
    }
}
