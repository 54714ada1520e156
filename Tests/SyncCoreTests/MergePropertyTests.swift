import FieldSyncTesting
import PropertyBased
import SyncCore
import Testing

/// The join laws and the clock's monotonicity, on generated states and histories.
@Suite struct MergePropertyTests {
    static let fieldNames = ["name", "outcome", "note", RecordState.deletedField]

    /// A state from small integers: each register code packs field, millis, counter and replica; the
    /// value is a function of field and stamp (a stamp never carries two values); vector codes pack
    /// replica and seq.
    static func state(_ registers: [Int], _ vector: [Int]) -> RecordState {
        var fields: [String: Register] = [:]
        for code in registers {
            let name = fieldNames[code & 3]
            let stamp = Stamp(millis: UInt64(1_000 + (code >> 2) & 7), counter: UInt32((code >> 5) & 3),
                              replica: ReplicaID(rawValue: UInt64((code >> 7) & 3) + 1))
            let register = Register(value: .text("\(name)@\(stamp)"), stamp: stamp)
            if let old = fields[name], old.stamp >= stamp { continue }
            fields[name] = register
        }
        let version = VersionVector(vector.map { (ReplicaID(rawValue: UInt64($0 & 3) + 1), UInt64($0 >> 2) + 1) })
        return RecordState(id: "r", registers: fields, version: version)
    }

    static let states = zip(Gen.int(in: 0...511).array(of: 0...8), Gen.int(in: 0...31).array(of: 0...4))
        .map { registers, vector in MergePropertyTests.state(registers, vector) }

    @Test func mergeIsCommutative() async {
        await propertyCheck(count: 2_000, input: Self.states, Self.states) { a, b in
            #expect(a.merged(with: b) == b.merged(with: a))
        }
    }

    @Test func mergeIsAssociative() async {
        await propertyCheck(count: 2_000, input: Self.states, Self.states, Self.states) { a, b, c in
            #expect(a.merged(with: b).merged(with: c) == a.merged(with: b.merged(with: c)))
        }
    }

    @Test func mergeIsIdempotent() async {
        await propertyCheck(count: 2_000, input: Self.states, Self.states) { a, b in
            #expect(a.merged(with: a) == a)
            let ab = a.merged(with: b)
            #expect(ab.merged(with: b) == ab)
            #expect(ab.merged(with: a) == ab)
        }
    }

    @Test func aCausallyLaterWriteAlwaysWins() async {
        await propertyCheck(count: 2_000, input: Self.states, Gen.int(in: 0...3), Gen.int(in: 0...2_000)) { seen, field, now in
            // A replica that has received `seen` writes one field; whatever order the states then meet in,
            // its write is what the field holds.
            var writer = ReplicaState(id: ReplicaID(rawValue: 99))
            writer.observe(seen, now: UInt64(now))
            let name = Self.fieldNames[field]
            let later = writer.write([name: .text("later")], to: seen, recordID: "r", now: UInt64(now))
            #expect(later.version.compare(seen.version) == .newer)
            #expect(later.merged(with: seen)[name]?.value == .text("later"))
            #expect(seen.merged(with: later)[name]?.value == .text("later"))
            #expect(Merge.receive(later, into: seen, detectedBy: ReplicaID(rawValue: 1)).classification == .fastForward)
        }
    }

    @Test func theClockNeverGoesBackwards() async {
        let events = Gen.int(in: 0...1_000_000).array(of: 1...60)
        await propertyCheck(count: 1_000, input: events) { codes in
            var clock = HybridClock(replica: ReplicaID(rawValue: 5))
            var last = clock.current
            var lastIssued: Stamp?
            for code in codes {
                let now = UInt64(code % 5_000)
                if code % 3 == 0 {
                    let remote = Stamp(millis: UInt64(code % 7_000), counter: UInt32(code % 11), replica: ReplicaID(rawValue: 7))
                    let before = clock
                    do {
                        try clock.receive(remote, now: now, maxDrift: code % 2 == 0 ? 1_000 : nil)
                        #expect((clock.millis, clock.counter) > (remote.millis, remote.counter))
                    } catch {
                        #expect(clock == before, "a refused stamp must not move the clock")
                    }
                } else {
                    let stamp = clock.tick(now: now)
                    if let lastIssued { #expect(stamp > lastIssued) }
                    lastIssued = stamp
                }
                #expect(clock.current >= last)
                last = clock.current
            }
        }
    }
}

/// Random histories of 3–5 replicas converge once every write has reached every replica, with no false
/// conflict and no write lost, judged by the oracle in ConvergenceSimulation.
@Suite struct ConvergenceTests {
    /// 1,000 histories of up to 200 steps, in 10 slices that run in parallel.
    @Test(arguments: 0..<10)
    func randomHistoriesConverge(slice: Int) {
        for n in 0..<100 {
            let seed = UInt64(slice * 100 + n) &* 0x9E37_79B9 &+ 20_251_120
            var random = SeededRandom(seed: seed)
            let replicas = Int.random(in: 3...5, using: &random)
            let steps = Int.random(in: 1...200, using: &random)
            do {
                try ConvergenceSimulation.run(seed: seed, replicaCount: replicas, steps: steps)
            } catch {
                Issue.record("\(error) — replay with ConvergenceSimulation.run(seed: \(seed), replicaCount: \(replicas), steps: \(steps))")
                return
            }
        }
    }
}
