import ArgumentParser
import Foundation
import HubReports
import HubCore
import HubSQLite

/// `fieldsync-server audit list|verify|export`: the hub's hash-chained audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Read and verify the audit log: who enrolled, synced, read, exported, resolved, rotated.",
        subcommands: [List.self, Verify.self, Export.self])

    /// Every line of the log, a page at a time.
    static func entries(_ storage: any HubStorage) async throws -> (entries: [AuditEntry], head: (seq: Int64, hash: String)?) {
        var all: [AuditEntry] = []
        var head: (seq: Int64, hash: String)?
        while true {
            let page = try await storage.auditEntries(after: all.last?.seq ?? 0, limit: 5_000)
            all += page.entries
            head = page.head
            if page.entries.count < 5_000 { return (all, head) }
        }
    }

    /// `audit list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the audit log, oldest first.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite audit list --action export
                """)
        @OptionGroup var global: HubOptions
        @Option(help: "Only this action (enrol, revoke, sync, report, export, conflict-resolve, …).") var action: String?
        @Option(help: "Only lines by this actor (a device id, or operator).") var actor: String?
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let lines = try await global.withStorage { try await AuditCommand.entries($0).entries }
                .filter { (action == nil || $0.action == action) && (actor == nil || $0.actor == actor) }
            if json { return try printJSON(lines) }
            let section = ReportDocument.Section(
                title: "Audit log",
                columns: ["#", "When (UTC)", "Who", "What", "Where", "Detail"].map { ReportDocument.Column($0) },
                rows: lines.map { ["\($0.seq)", $0.at, $0.actor, $0.action, $0.scope, $0.detail] })
            print(ReportDocument(title: "Audit log", subtitle: global.storeName, summary: [], sections: [section]).table(), terminator: "")
        }
    }

    /// `audit verify`.
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check the hash chain: exits 1 naming the first edited or removed line.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite audit verify
                """)
        @OptionGroup var global: HubOptions

        func run() async throws {
            let (entries, head) = try await global.withStorage { try await AuditCommand.entries($0) }
            if let problem = AuditChain.verify(entries, head: head) {
                throw ServerInputError("the audit log does not verify: \(problem)")
            }
            print("the audit log verifies: \(entries.count) lines, head \(head.map { "\($0.seq) \($0.hash.prefix(16))…" } ?? "empty")")
        }
    }

    /// `audit export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export the whole log as JSON or CSV (with its hashes, so a copy can be verified).",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite audit export --format csv > audit.csv
                """)
        @OptionGroup var global: HubOptions
        @Option(help: "json or csv.") var format = "json"

        func run() async throws {
            guard format == "json" || format == "csv" else { throw ServerInputError("unknown format \(format): use json or csv") }
            let entries = try await global.withStorage { try await AuditCommand.entries($0).entries }
            if format == "json" { return try printJSON(entries) }
            var table = CSVWriter(header: ["seq", "at", "actor", "action", "scope", "detail", "hash"])
            for entry in entries { table.row([String(entry.seq), entry.at, entry.actor, entry.action, entry.scope, entry.detail, entry.hash]) }
            print(table.take(), terminator: "")
        }
    }
}
