import ArgumentParser
import CLISupport
import FieldModel
import TextSafety

/// `fieldsync communes search`: find a commune's code by its name, as people type it.
struct CommunesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "communes",
        abstract: "Find communes of the 2025 catalogue by name.",
        subcommands: [Search.self])

    /// `communes search`.
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List communes whose name (and province) contain every word given, with or without marks.",
            discussion: """
                Wherever a commune is asked (--commune), its name works too when it fits one commune only.

                Example:
                  fieldsync communes search "ba dinh"
                  fieldsync communes search "tan an dong thap"
                """)
        @Argument(help: "Words of the commune's name, and of its province if needed.") var words: [String]

        func run() throws {
            let query = words.joined(separator: " ")
            let found = CommuneCatalogue.shared.search(query, limit: 50)
            guard !found.isEmpty else { return Console.note("no commune matches \(SafeText.quote(query))") }
            var table = TextTable(["CODE", "COMMUNE", "PROVINCE"])
            for commune in found { table.add([commune.code, commune.name, "\(commune.provinceCode) \(commune.provinceName)"]) }
            print(table.render().text, terminator: "")
        }
    }
}
