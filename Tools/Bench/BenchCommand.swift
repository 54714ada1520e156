import ArgumentParser

/// `fieldsync-bench`: prints FieldSync's performance figures (build with -c release first).
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-bench",
        abstract: "Measure FieldSync: CLI latency and store insert throughput.",
        discussion: """
            Example:
              swift build -c release && .build/release/fieldsync-bench store
              .build/release/fieldsync-bench merge
              .build/release/fieldsync-bench soak --histories 100000
            """,
        subcommands: [App.self, Quality.self, Coverage.self, Store.self, MergeSpeed.self, Soak.self, Hub.self, HTTPSync.self, Reports.self, Export.self, Console.self, CitizenRecovery.self, Pseudonym.self,
                      Compact.self, Wire.self, Bundle.self, Peer.self, Burst.self, Bomb.self])

    /// Issue 33: data-quality flags.
    struct Quality: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Data-quality flags: time to compute them on a hub of N visits.")
        @Option(help: "Visits in the hub.") var visits = 1_000_000
        @Option(help: "Keep the hub in this folder (reused on the next run).") var directory: String?
        func run() async throws { try await QualityBenchmark.run(visits: visits, directory: directory) }
    }

    /// Issue 32: the volunteer's app.
    struct App: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The volunteer's app: each page's time over an encrypted store of N visits; logging from the form.")
        @Option(help: "Visits in the store.") var visits = 20_000
        @Option(help: "Households in the village.") var households = 500
        @Option(help: "Timed loads of each page.") var rounds = 5
        func run() async throws { try await AppBenchmark.run(visits: visits, households: households, rounds: rounds) }
    }

    /// Issue 27: a bundle bomb's cost to the hub.
    struct Bomb: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A forged bundle whose body inflates to many MiB: time and memory to refuse it.")
        @Option(help: "MiB the body inflates to.") var inflated = 64
        func run() async throws { try await BombBenchmark.run(inflatedMiB: inflated) }
    }

    /// Issue 27: a sync's pseudonym latency during a burst of wrong passphrases and codes.
    struct Burst: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pseudonym latency while the hub takes a burst of wrong sign-ins and codes.")
        @Option(help: "Wrong sign-ins, and as many wrong codes, each from its own address.") var guesses = 200
        @Option(help: "Pseudonym requests timed, quiet and during the burst.") var rounds = 20
        func run() async throws { try await BurstBenchmark.run(guesses: guesses, rounds: rounds) }
    }

    /// Issue 18: offline bundles.
    struct Bundle: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Offline bundles: bytes per visit, time to export and import.")
        @Option(help: "Visits in the bundle.") var visits = 1_000
        func run() async throws { try await BundleBenchmark.run(visits: visits) }
    }

    /// Issue 18: LAN sync between laptops.
    struct Peer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "LAN sync between two laptops: bytes and visits merged per second.")
        @Option(help: "New visits on each laptop.") var visits = 1_000
        func run() async throws { try await BundleBenchmark.peer(visits: visits) }
    }

    /// Issue 17: bytes per visit change on the wire.
    struct Wire: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Bytes per visit change on the wire, push and pull, plain and compressed.")
        @Option(help: "Visit changes.") var visits = 1_000
        func run() throws { try WireBenchmark.run(visits: visits) }
    }

    /// Issue 16: compacting deleted visits below the tombstone horizon.
    struct Compact: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Compaction of a hub's deleted visits: time and space.")
        @Option(help: "Visits in the hub.") var visits = 100_000
        @Option(help: "Percent of them deleted.") var deletedPercent = 20
        func run() async throws { try await CompactionBenchmark.run(visits: visits, deletedPercent: deletedPercent) }
    }

    /// Issue 15: the cost of an oblivious-PRF pseudonym.
    struct Pseudonym: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "oprf", abstract: "Cost of one VOPRF pseudonym on each side.")
        @Option(help: "Pseudonyms to time.") var count = 200
        func run() throws { try PseudonymBenchmark.run(count: count) }
    }

    /// Issue 15: what the shared citizen-ID key gives away.
    struct CitizenRecovery: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "cccd-recovery",
                                                        abstract: "Recover CCCDs from the shared key and keyed hashes (the threat today).")
        @Option(help: "CCCDs to recover.") var citizens = 5
        func run() { CitizenRecoveryBenchmark.run(citizens: citizens) }
    }

    /// Issue 31: a commune's household list imported, and the coverage of a province.
    struct Coverage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Household import and coverage queries on a province of N households and M visits.")
        @Option(help: "Households (3,000 per commune of province 01).") var households = 300_000
        @Option(help: "Visits pushed.") var visits = 3_000_000
        @Option(help: ArgumentHelp("Also on PostgreSQL: a server URL (a fresh database is created).", valueName: "url")) var postgres: String?
        @Option(help: "PostgreSQL gets households and visits divided by this.") var postgresScale = 1
        @Option(help: "Keep the SQLite hub in this folder (reused on the next run).") var directory: String?
        func run() async throws {
            try await CoverageBenchmark.run(households: households, visits: visits, postgres: postgres, postgresScale: postgresScale, directory: directory)
        }
    }

    /// Issue 14: the console's pages on a big hub.
    struct Console: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Console pages: time and bytes on a hub of N visits.")
        @Option(help: "Visits in the hub.") var visits = 10_000_000
        @Option(help: "Keep the hub in this folder (reused on the next run).") var directory: String?
        func run() async throws { try await ConsoleBenchmark.run(visits: visits, directory: directory) }
    }

    /// Issue 13: export streams, in constant memory.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Peak memory of fieldsync-server export for a hub of N visits.")
        @Option(help: "Visits in the hub.") var visits = 1_000_000
        @Option(help: "Keep the hub in this folder (reused on the next run).") var directory: String?
        func run() async throws { try await ExportBenchmark.run(visits: visits, directory: directory) }
    }

    /// Issue 2: a `fieldsync log` process, and 100k inserts through the store vs raw SQLite.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "fieldsync log latency; bulk insert vs raw SQLite.")
        @Option(help: "Visits to bulk-insert.") var visits = 100_000
        @Option(help: "fieldsync log processes to time.") var processes = 50
        func run() throws { try StoreBenchmark.run(visits: visits, processes: processes) }
    }

    /// Issue 3: merges per second of the pure join; metadata bytes per visit.
    struct MergeSpeed: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "merge", abstract: "Join speed and sync metadata size.")
        @Option(help: "Joins to time per writer count.") var merges = 2_000_000
        func run() throws { SyncBenchmark.run(merges: merges) }
    }

    /// Issue 3: many more random histories than the test suite runs.
    struct Soak: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Random multi-replica histories must all converge.")
        @Option(help: "Histories to run.") var histories = 100_000
        @Option(help: "First seed (history n uses seed + n).") var seed: UInt64 = 1
        @Option(help: "Most steps per history.") var steps = 200
        func run() throws { try SyncBenchmark.soak(histories: histories, seed: seed, steps: steps) }
    }

    /// Issue 4: the hub's merge in process vs raw SQLite.
    struct Hub: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Hub merge throughput in process vs raw SQLite.")
        @Option(help: "Visit changes to merge.") var changes = 1_000_000
        @Option(help: ArgumentHelp("Also on PostgreSQL: a server URL (a fresh database is created and dropped).", valueName: "url"))
        var postgres: String?
        func run() async throws {
            var figures = [try await HubBenchmark.inProcess(changes: changes)]
            if let postgres { figures.append(try await PostgresHubBenchmark.run(server: postgres, changes: changes)) }
            print("\n" + MergeFigures.table(figures))
        }
    }

    /// Issue 4: push and pull through the real client and server over loopback HTTP.
    struct HTTPSync: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "http", abstract: "Push and pull over loopback HTTP.")
        @Option(help: "Visits to push and pull.") var visits = 100_000
        func run() async throws { try await HTTPBenchmark.run(visits: visits) }
    }

    /// Issue 5: report speed on a big hub, and the aggregates' cost on pushes.
    struct Reports: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "report progress on many visits; aggregate cost per push.")
        @Option(help: "Visits in the big hub.") var visits = 10_000_000
        @Option(help: "Visits for the with/without-aggregates push comparison.") var costVisits = 1_000_000
        @Option(help: "Keep the stores in this folder (reused on the next run).") var directory: String?
        func run() async throws { try await ReportsBenchmark.run(visits: visits, costVisits: costVisits, directory: directory) }
    }
}
