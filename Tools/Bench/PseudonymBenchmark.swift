import CitizenPseudonym
import Foundation

/// Issue 15: the cost of one oblivious-PRF pseudonym on each side (release build, one core).
enum PseudonymBenchmark {
    static func run(count: Int) throws {
        let hub = CitizenPseudonym.HubKey()
        var blind: [Double] = [], evaluate: [Double] = [], finalize: [Double] = []
        func time<T>(_ into: inout [Double], _ body: () throws -> T) rethrows -> T {
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try body()
            into.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3)
            return result
        }
        // A laptop blinds a sync's IDs in one call (one throwaway key for the batch), as `fieldsync sync` does.
        let digits = (0..<count).map { String(format: "0012030%05d", $0) }
        var batch: [Double] = []
        let pendings = try time(&batch) { try CitizenPseudonym.blind(digits) }
        blind = Array(repeating: batch[0] / Double(count), count: count)
        for pending in pendings {
            let answer = try time(&evaluate) { try hub.evaluate(pending.request) }
            _ = try time(&finalize) { try CitizenPseudonym.finalize(pending, evaluation: answer, hubPublicKey: hub.publicKey) }
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(String(format: "VOPRF(P-384, SHA-384), median of %d: laptop blind %.0f µs (mean, one batch), hub evaluate with proof %.0f µs, laptop verify and finalize %.0f µs",
                     count, median(blind), median(evaluate), median(finalize)))
        print(String(format: "a push of 500 visits with a CCCD each: hub %.2f s of one core, laptop %.2f s",
                     median(evaluate) * 500 / 1e6, (median(blind) + median(finalize)) * 500 / 1e6))
    }
}
