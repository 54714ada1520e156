import FieldSyncTesting
import Foundation
import Testing

/// A small seeded fleet with every fault on: hub SIGKILLs and a full disk, dropped, duplicated and
/// reordered requests, a restored laptop, a clock a year ahead. Nothing may be lost or diverge.
@Suite(.serialized) struct SimulatorEndToEndTests {
    @Test(arguments: [11, 12] as [UInt64])
    func aFleetWithEveryFaultConverges(seed: UInt64) throws {
        let result = try Executables.run("fieldsync-sim", ["--devices", "20", "--visits", "20", "--faults", "all",
                                                          "--seed", "\(seed)", "--lanes", "6"])
        #expect(result.status == 0, "\(result)")
        #expect(result.stdout.contains("OK: every laptop equals the hub"), "\(result)")
        #expect(result.stdout.contains("drop") && result.stdout.contains("restored laptops"), "faults were injected: \(result.stdout)")
    }
}
