import ArgumentParser
import Foundation
import HubReports
import HubCore
import HubSQLite
import Localization
import SyncCore
import SyncProtocol
import TextSafety

/// `fieldsync-server conflicts list|show|resolve`: coordinators close the loop on conflict entries.
struct ConflictsCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "conflicts",
        abstract: Catalogue.process.helpText("List, show and resolve conflict entries (two laptops wrote the same field without seeing each other)."),
        subcommands: [List.self, Show.self, Resolve.self])
    }

    /// `conflicts list`.
    struct List: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("List conflict entries, open ones first by default."),
            discussion: Catalogue.process.helpText("""
                Example:
                  fieldsync-server --db hub.sqlite conflicts list --commune 00004
                  fieldsync-server --db hub.sqlite conflicts list --status all --since \\
                      2026-11-01 --json
                """))
        }
        @OptionGroup var global: HubOptions
        @Option(help: ArgumentHelp(Catalogue.process.helpText("open, resolved or all."))) var status = "open"
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Found on or after this date (ISO 8601)."))) var since: String?
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Found before this date (ISO 8601)."))) var until: String?
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this province (2 digits)."))) var province: String?
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this commune (5 digits)."))) var commune: String?
        @Flag(help: ArgumentHelp(Catalogue.process.helpText("Print JSON."))) var json = false

        func run() async throws {
            guard let status = ConflictStatus(rawValue: status) else {
                throw ServerInputError("status must be one of " + ConflictStatus.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let filter = try ReportFilter.parsing(since: since, until: until, province: province, commune: commune)
            let lines = try await global.withStorage(readOnly: true) {
                try await $0.conflicts(status: status, since: filter.since, until: filter.until, scope: filter.scope)
            }
            if json { return try printJSON(lines) }
            let t = try global.catalogue
            let document = ReportDocument(title: t["conflicts.title_" + status.rawValue], subtitle: global.storeName + " · " + t["times_in"],
                                          summary: [(t["conflicts.entries"], t.number(lines.count)),
                                                    (t["conflicts.open"], t.number(lines.count { $0.resolution == nil }))],
                                          sections: [MergeReport.conflictSection(lines, .people(t.language))])
            print(document.table(), terminator: "")
        }
    }

    /// `conflicts show`.
    struct Show: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("Show one entry: both values of each field, who wrote them, which was kept, the value now."),
            discussion: Catalogue.process.helpText("""
                Example:
                  fieldsync-server --db hub.sqlite conflicts show 3fa9c2e1b0d4
                """))
        }
        @OptionGroup var global: HubOptions
        @Argument(help: ArgumentHelp(Catalogue.process.helpText("The entry's id, or its first 8 or more digits (see conflicts list)."))) var id: String
        @Flag(help: ArgumentHelp(Catalogue.process.helpText("Print JSON."))) var json = false

        func run() async throws {
            let id = self.id
            let line = try await global.withStorage(readOnly: true) { try await $0.conflict(id, scope: Scope()) }
            if json { return try printJSON(line) }
            print(MergeReport.document(of: line, try global.catalogue).table(), terminator: "")
        }
    }

    /// `conflicts resolve`.
    struct Resolve: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("Resolve an entry: keep the kept value, take the losing one, or set a new one."),
            discussion: Catalogue.process.helpText("""
                --keep writes nothing: every laptop already holds the kept value. --take and --set are one \
                write by the hub that follows both laptops' writes, so it reaches every laptop at its next \
                sync and never conflicts with them. For an edit that met a deletion, --take restores the \
                visit with the edit. Resolving an entry again changes nothing.

                Example:
                  fieldsync-server --db hub.sqlite conflicts resolve 3fa9c2e1b0d4 --take \\
                      --by "Trần Văn Hải"
                  fieldsync-server --db hub.sqlite conflicts resolve 3fa9c2e1b0d4 --set \\
                      note="Đã kích hoạt mức 2"
                """))
        }
        @OptionGroup var global: HubOptions
        @Argument(help: ArgumentHelp(Catalogue.process.helpText("The entry's id, or its first 8 or more digits."))) var id: String
        @Flag(help: ArgumentHelp(Catalogue.process.helpText("Keep the value the merge kept."))) var keep = false
        @Flag(help: ArgumentHelp(Catalogue.process.helpText("Take the losing value instead."))) var take = false
        @Option(name: .customLong("set"), help: ArgumentHelp(Catalogue.process.helpText("Set a field of the entry to a new value (repeatable)."),
                                                             valueName: "field=value"))
        var values: [String] = []
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Who resolves it (shown in the merge report)."))) var by = "operator"

        func run() async throws {
            guard [keep, take, !values.isEmpty].count(where: { $0 }) == 1 else {
                throw ServerInputError("give exactly one of --keep, --take or --set FIELD=VALUE")
            }
            var choice = keep ? ConflictChoice.keep : .take
            if !values.isEmpty {
                var typed: [String: FieldValue] = [:]
                for pair in values {
                    guard let equals = pair.firstIndex(of: "=") else {
                        throw ServerInputError("--set \(SafeText.quote(pair)) must be FIELD=VALUE, for example note=\"Đã xong\"")
                    }
                    let name = String(pair[..<equals])
                    typed[name] = try Hub.typedValue(String(pair[pair.index(after: equals)...]), for: name)
                }
                choice = .set(typed)
            }
            let (id, by, decided) = (self.id, self.by, choice)
            let (line, before) = try await global.withStorage {
                try await $0.resolveConflict(id, choice: decided, by: by, device: nil, scope: Scope())
            }
            try await global.audit(.conflictResolve, scope: Device.text(of: Scope(commune: line.commune)),
                                   detail: ["visit": line.record, "conflict": line.id, "by": by, "again": "\(before)"])
            let t = try global.catalogue
            let resolution = MergeReport.resolutionText(line.resolution, t)
            let citizen = line.citizen ?? String(line.record.suffix(8))
            if before {
                print(t.format("conflicts.already", citizen, resolution))
            } else if line.resolution?.hubSeq != nil {
                print(t.format("conflicts.written", citizen, resolution))
            } else {
                print(t.format("conflicts.nothing_to_write", citizen, resolution))
            }
        }
    }
}

/// Prints a value as indented JSON with sorted keys.
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    print(String(decoding: try encoder.encode(value), as: UTF8.self))
}
