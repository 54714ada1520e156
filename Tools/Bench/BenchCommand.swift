import ArgumentParser

/// `fieldsync-bench`: prints FieldSync's performance figures (build with -c release first).
@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-bench",
        abstract: "Measure FieldSync: CLI latency and store insert throughput.",
        discussion: """
            Example:
              swift build -c release && .build/release/fieldsync-bench store
            """,
        subcommands: [Store.self])

    /// Issue 2: a `fieldsync log` process, and 100k inserts through the store vs raw SQLite.
    struct Store: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "fieldsync log latency; bulk insert vs raw SQLite.")
        @Option(help: "Visits to bulk-insert.") var visits = 100_000
        @Option(help: "fieldsync log processes to time.") var processes = 50
        func run() throws { try StoreBenchmark.run(visits: visits, processes: processes) }
    }
}
