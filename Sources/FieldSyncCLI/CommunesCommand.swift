import ArgumentParser
import CLISupport
import FieldModel
import Localization
import TextSafety

/// `fieldsync communes search`: find a commune's code by its name, as people type it.
struct CommunesCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "communes", abstract: Catalogue.process["help.communes"], subcommands: [Search.self])
    }

    /// `communes search`.
    struct Search: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(abstract: Catalogue.process["help.communes_search"],
                                 discussion: Catalogue.process["help.communes_search.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                     + "\n  fieldsync communes search \"ba dinh\"\n  fieldsync communes search \"tan an dong thap\"")
        }

        @Argument(help: ArgumentHelp(Catalogue.process["help.opt.words"])) var words: [String]

        func run() throws {
            let query = words.joined(separator: " ")
            let found = CommuneCatalogue.shared.search(query, limit: 50)
            let t = Catalogue.process
            guard !found.isEmpty else { return Console.note(t.format("communes.none", SafeText.quote(query))) }
            var table = TextTable([t["communes.code"], t.field("commune"), t["communes.province"]].map { $0.uppercased() })
            for commune in found { table.add([commune.code, commune.name, "\(commune.provinceCode) \(commune.provinceName)"]) }
            print(table.render().text, terminator: "")
        }
    }
}
