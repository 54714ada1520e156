import ArgumentParser
import Foundation
import RecordKinds
import TextSafety

/// `fieldsync-server kinds check`: whether a kind document holds, and whether it may follow the version before it.
struct KindsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kinds",
        abstract: "Record kinds as data (Protocol/README.md §12): list, show, check and publish kind documents.",
        subcommands: [List.self, Show.self, Check.self, Publish.self])

    /// `kinds list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every version of every kind the hub knows.")
        @OptionGroup var global: HubOptions

        func run() async throws {
            let kinds = try await global.withStorage(readOnly: true) { try await $0.kinds() }
            for k in kinds {
                let origin = k.publishedAt.map { "published \($0) by \(SafeText.terminal(k.publishedBy ?? "?"))" } ?? "built in"
                print("\(k.document.kind) v\(k.document.version)  \(SafeText.terminal(k.document.labels.en)) — "
                      + "\(k.document.fields.count) fields, \(k.document.fields.count { $0.retired == true }) retired; \(origin)")
            }
        }
    }

    /// `kinds show`.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a kind's document (its latest version, or --version).")
        @OptionGroup var global: HubOptions
        @Argument(help: "The kind's name (visit, session, …).") var kind: String
        @Option(help: "Which version (default: the latest).") var version: Int?

        func run() async throws {
            let (name, asked) = (kind, version)
            let found = try await global.withStorage(readOnly: true) { try await $0.kinds() }
                .filter { $0.document.kind == name && (asked == nil || $0.document.version == asked) }.last
            guard let found else { throw ServerInputError("no kind \(SafeText.quote(name))\(asked.map { " version \($0)" } ?? ""): see `kinds list`") }
            try printJSON(found.document)
        }
    }

    /// `kinds publish`.
    struct Publish: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a kind's next version (or a new kind): checked to follow the latest, refused with the reason otherwise.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite kinds publish visit-v2.json --by "Trần Văn Hải"
                """)
        @OptionGroup var global: HubOptions
        @Argument(help: "The kind document to publish.") var file: String
        @Option(help: "Who publishes it (in the audit log).") var by = "operator"

        func run() async throws {
            let (kind, by) = (try Check.read(file), self.by)
            let published = try await global.withStorage { try await $0.publishKind(kind, by: by) }
            try await global.audit(.kindPublish, scope: "whole country",
                                   detail: ["kind": kind.kind, "version": "\(kind.version)", "by": by])
            print("published \(published.document.kind) version \(published.document.version)")
        }
    }

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
