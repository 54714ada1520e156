import ArgumentParser
import Foundation

/// `fieldsync-sim`: a fleet of simulated laptops against a real hub, with faults; exits non-zero on any loss.
@main
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fieldsync-sim",
        abstract: "Simulate laptops logging and syncing against a real fieldsync-server, with faults; check nothing is lost.",
        discussion: """
            Each laptop is a real field store driven through the same code as fieldsync; the hub is the real \
            fieldsync-server (beside this program) on 127.0.0.1. Runs are seeded: a failing run replays from its seed \
            (exactly with --lanes 1; with more lanes, the interleaving of lanes varies).

            Example:
              .build/release/fieldsync-sim --devices 20 --visits 20 --faults all --seed 7
              .build/release/fieldsync-sim --devices 1000 --visits 50 --lanes 16
              .build/release/fieldsync-sim --database postgres://postgres@127.0.0.1:55432/sim --hubs 3 \\
                  --faults kill,drop
            """)

    @Option(help: "Simulated laptops.") var devices = 20
    @Option(help: "Visits each laptop logs.") var visits = 20
    @Option(help: "Laptops per commune (they share and edit each other's visits).") var perCommune = 4
    @Option(help: "Laptops acting at once.") var lanes = 8
    @Option(help: "The seed of every random choice.") var seed: UInt64 = 1
    @Option(help: "Faults to inject, comma separated: all, or kill, drop, duplicate, reorder, restore, clock, diskfull, compact.")
    var faults = ""
    @Option(help: "Keep the laptops' stores in this folder (e.g. a tmpfs for big fleets).") var directory: String?
    @Option(help: "Put the hub's store in this folder (default: with the laptops').") var hubDirectory: String?
    @Option(help: ArgumentHelp("Run the hubs on this PostgreSQL database (postgres://…) instead of a SQLite file; "
                               + "use a fresh database: the checks compare every laptop with all of it.", valueName: "url"))
    var database: String?
    @Option(help: "Hub processes on --database, behind a random load balancer.") var hubs = 1

    func run() async throws {
        var chosen: Set<Fault> = []
        for name in faults.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
            if name == "all" { chosen.formUnion(Fault.allCases); continue }
            guard let fault = Fault(rawValue: name) else {
                throw ValidationError("unknown fault «\(name)»: use all, " + Fault.allCases.map(\.rawValue).joined(separator: ", "))
            }
            chosen.insert(fault)
        }
        let ok = try await Simulation(options: .init(devices: devices, visits: visits, devicesPerCommune: perCommune, seed: seed,
                                                     lanes: lanes, faults: chosen, directory: directory,
                                                     hubDirectory: hubDirectory, database: database, hubs: hubs)).run()
        if !ok { throw ExitCode(1) }
    }
}
