import ArgumentParser
import Foundation
import RecordKinds
import TextSafety

/// `fieldsync-server kinds check`: whether a kind document holds, and whether it may follow the version before it.
struct KindsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinds",
        abstract: "Record kinds as data (Protocol/README.md §12): check a kind document before it is published.",
        subcommands: [Check.self])

    /// `kinds check`.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a kind document, and with --after that it is a compatible next version of another.",
            discussion: """
                A new version may only add fields (required ones with a default) and options, retire fields and \
                options, add rules and change labels; anything else is refused with its reason.

                Example:
                  fieldsync-server kinds check visit-v2.json --after Protocol/kinds/visit.json
                """)
        @Argument(help: "The kind document to check.") var file: String
        @Option(help: ArgumentHelp("The version published before it.", valueName: "file")) var after: String?

        func run() async throws {
            let kind = try Self.read(file)
            if let after {
                try KindEvolution.check(kind, after: try Self.read(after))
                print("\(kind.kind) version \(kind.version): a compatible next version of \(SafeText.terminal(after))")
            } else {
                print("\(kind.kind) version \(kind.version): \(kind.fields.count) fields, \(kind.groups.count) groups, \(kind.rules.count) rules")
            }
        }

        static func read(_ path: String) throws -> RecordKind {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: path))
            } catch {
                throw ServerInputError("cannot read \(SafeText.quote(path)): \(error.localizedDescription)")
            }
            do {
                return try RecordKind(json: data)
            } catch {
                throw ServerInputError("\(SafeText.quote(path)): \(error)")
            }
        }
    }
}
