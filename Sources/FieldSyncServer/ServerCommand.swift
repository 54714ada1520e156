import ArgumentParser
import Foundation
import HubPostgres
import HubServer
import HubCore
import HubSQLite
import Localization
import SyncProtocol

/// `fieldsync-server`: the hub that merges every laptop's visits, and the coordinators' tools.
@main
struct ServerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-server",
        abstract: "The FieldSync hub: sync server, enrolment, export and reports.",
        discussion: """
            The central store is one SQLite file (--db, default $FIELDSYNC_DB or fieldsync-hub.sqlite).

            Example:
              fieldsync-server --db hub.sqlite serve --host 0.0.0.0 --port 8080
              fieldsync-server --db hub.sqlite enrollment-code --team T-00004-01 \\
                  --commune 00004
              fieldsync-server --db hub.sqlite report merge
            """,
        version: FieldSyncVersion.current,
        subcommands: [ServeCommand.self, EnrollmentCodeCommand.self, DevicesCommand.self, ExportCommand.self,
                      ReportCommand.self, ConflictsCommand.self, DuplicatesCommand.self, MigrateCommand.self, KeysCommand.self, RecoverStoreCommand.self, AuditCommand.self, SubjectCommand.self,
                      CompactCommand.self, BundleCommand.self, IncarnationCommand.self, KindsCommand.self, VillagesCommand.self, HouseholdsCommand.self,
                      ReleaseCommand.self])

    @OptionGroup var global: HubOptions

    /// A mistyped command is named back with the nearest one (`reprot` → `report`) before parsing.
    static func main() async {
        let names = configuration.subcommands.map { $0._commandName } + ["help"]
        if let message = CommandSuggestion.check(Array(CommandLine.arguments.dropFirst()), commands: names, program: "fieldsync-server",
                                                 optionsWithValue: ["--db", "--database", "--key-file", "--lang"]) {
            FileHandle.standardError.write(Data((message + "\n").utf8))
            Foundation.exit(64)
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}

/// Options every `fieldsync-server` command takes, before or after its name.
struct HubOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(Catalogue.process.helpText("The hub's store file (default: $FIELDSYNC_DB or fieldsync-hub.sqlite)."),
                                            valueName: "path"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp(Catalogue.process.helpText("A PostgreSQL store shared by several hubs, instead of --db (default: $FIELDSYNC_DATABASE): postgres://user:password@host:5432/database or postgres://user@/database?host=/var/run/postgresql"), valueName: "url"))
    var database: String?

    @Option(name: .long, help: ArgumentHelp(Catalogue.process.helpText("The hub's key file, made at first start with mode 0600 (default: $FIELDSYNC_KEY_FILE, else the --db file's name + .keys, or fieldsync-hub.keys with --database)."),
                                            valueName: "path"))
    var keyFile: String?

    @Option(name: .long, help: ArgumentHelp(Catalogue.process["help.lang"],
                                            valueName: "vi|en"))
    var lang: String?

    /// The words of this run's output for people.
    var catalogue: Catalogue {
        get throws { Catalogue(try Language.chosen(lang)) }
    }

    /// Where the hub's secrets are: never inside its store.
    var keys: HubKeyFile {
        if let keyFile { return HubKeyFile(path: keyFile) }
        return .fromEnvironment(or: databaseURL == nil ? .beside(path) : HubKeyFile(path: "fieldsync-hub.keys"))
    }

    /// The store path.
    var path: String {
        db ?? ProcessInfo.processInfo.environment["FIELDSYNC_DB"] ?? "fieldsync-hub.sqlite"
    }

    /// The PostgreSQL URL, when the store is on PostgreSQL (--database, or $FIELDSYNC_DATABASE without --db).
    var databaseURL: String? {
        database ?? (db == nil ? ProcessInfo.processInfo.environment["FIELDSYNC_DATABASE"].flatMap { $0.isEmpty ? nil : $0 } : nil)
    }

    /// The store for people: the file, or the URL without its password.
    var storeName: String {
        guard let url = databaseURL else { return path }
        // Losing this error is safe: only for display; an unusable URL is reported when the store is opened.
        return (try? PostgresLocation(url: url))?.redacted ?? "PostgreSQL"
    }

    /// Appends an operator's line to the audit log (commands run on the hub's machine act as `operator`).
    func audit(_ action: AuditAction, scope: String, detail: [String: String] = [:]) async throws {
        try await withStorage { try await $0.appendAudit([AuditDraft(actor: "operator", action: action, scope: scope, detail: detail)]) }
    }

    /// Runs `body` with the store the options name: PostgreSQL, or the SQLite file.
    /// Runs `body` with the hub's store: PostgreSQL with `--database`, else the SQLite file (`readOnly`: it must exist,
    /// and nothing is written to it).
    func withStorage<T: Sendable>(maxDriftMillis: UInt64? = nil, readOnly: Bool = false,
                                  _ body: @Sendable (any HubStorage) async throws -> T) async throws -> T {
        if let url = databaseURL {
            guard db == nil else { throw ServerInputError("give --db (a SQLite file) or --database (PostgreSQL), not both") }
            do {
                return try await PostgresHubStore.withStore(url: url, maxDriftMillis: maxDriftMillis ?? WireLimits.defaultMaxDriftMillis) {
                    try await body($0)
                }
            } catch let error as PostgresLocationError {
                throw ServerInputError("--database: \(error)")
            }
        }
        return try await body(try HubService(path: path, readOnly: readOnly, maxDriftMillis: maxDriftMillis))
    }
}
