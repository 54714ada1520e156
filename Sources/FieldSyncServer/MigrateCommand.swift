import ArgumentParser
import Foundation
import HubPostgres
import HubCore
import HubSQLite

/// `fieldsync-server migrate`: moves a SQLite hub to PostgreSQL without re-enrolling a laptop.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Copy a SQLite hub store into a new PostgreSQL database (devices, tokens, visits, conflicts, quarantine).",
        discussion: """
            Stop the hub first (the copy takes the store's lock). The database must be new: no device, \
            no visit. The copy is one transaction: all of it lands, or nothing. Laptops keep their tokens \
            and their pull cursors; start the hubs with --database afterwards.

            Example:
              fieldsync-server migrate --from /var/lib/fieldsync/hub.sqlite \\
                  --to postgres://fieldsync@db.internal:5432/fieldsync
            """)

    @Option(help: ArgumentHelp("The SQLite hub store to copy.", valueName: "path")) var from: String
    @Option(help: ArgumentHelp("The PostgreSQL database to copy into (postgres://…).", valueName: "url")) var to: String

    func run() async throws {
        guard PostgresLocation.isURL(to) else { throw ServerInputError("--to must be a postgres:// URL") }
        let lock = try StoreLock(store: from)
        let started = Date()
        let from = self.from
        let counts = try await PostgresHubStore.withStore(url: to, connections: 1) { target in
            try await target.copy(from: try HubStore(path: from, readOnly: true)) { table, rows in
                if rows % 50_000 == 0 { FileHandle.standardError.write(Data("migrate: \(table) \(rows) rows…\n".utf8)) }
            }
        }
        lock.release()
        let summary = Hub.copiedTables.map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        print(String(format: "copied %@ in %.1f s", summary, Date().timeIntervalSince(started)))
    }
}
