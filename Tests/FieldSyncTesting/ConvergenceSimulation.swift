import SyncCore

/// Random histories of N replicas writing, editing, deleting and syncing pairwise, checked against the
/// sync rules and against an oracle that records, for every write, which writes its replica had seen
/// (independently of version vectors): once every write has reached every replica, all hold the same
/// state; a write always out-stamps everything its replica had seen; every field a conflict entry lists
/// was written concurrently (no false conflict); every pair of concurrent writes of different values
/// that meet is reported (no silent loss); and every write is the final value, causally overwritten, or
/// kept as a losing value in an entry (no lost write).
public struct ConvergenceSimulation {
    /// What went wrong in a history, with the seed that replays it.
    public struct Failure: Error, CustomStringConvertible {
        public let seed: UInt64
        public let step: Int
        public let message: String
        public var description: String { "seed \(seed), step \(step): \(message)" }
    }

    struct Replica {
        var state: ReplicaState
        var records: [String: RecordState] = [:]
        let skew: Int64
    }

    struct Write {
        let record: String
        let field: String
        let register: Register
        let replica: ReplicaID
        let seq: UInt64
        /// The oracle: indices (in the log) of the writes to this record its replica had seen.
        let saw: Set<Int>
    }

    /// What a history did, for figures.
    public struct Figures: Sendable {
        public var merges = 0
        public var entries = 0
        public var entryFields = 0
    }

    static let fields = ["name", "outcome", "note", RecordState.deletedField]

    /// Runs one history of up to `steps` random steps among `replicaCount` replicas.
    /// - Returns: the number of merges performed.
    /// - Throws: `Failure` naming the seed and the first broken rule.
    @discardableResult
    public static func run(seed: UInt64, replicaCount: Int, steps: Int) throws(Failure) -> Int {
        try check(seed: seed, replicaCount: replicaCount, steps: steps).merges
    }

    /// Runs one history and returns its figures.
    public static func check(seed: UInt64, replicaCount: Int, steps: Int) throws(Failure) -> Figures {
        var random = SeededRandom(seed: seed)
        var replicas = (0..<replicaCount).map { i in
            Replica(state: ReplicaState(id: ReplicaID(rawValue: UInt64(i + 1) << 32 | UInt64.random(in: 0..<1 << 32, using: &random))),
                    skew: Int64.random(in: -2_000...2_000, using: &random))
        }
        var log: [Write] = []
        var wallClock: UInt64 = 1_763_600_000_000
        var figures = Figures()
        // Oracle: per replica and record, the writes it has seen; per (record, field, stamp), the write.
        var observed = [[String: Set<Int>]](repeating: [:], count: replicaCount)
        var byRegister: [String: Int] = [:]
        var keptLosers: Set<String> = []
        func key(_ record: String, _ field: String, _ stamp: Stamp) -> String { "\(record)|\(field)|\(stamp)" }
        var nextRecord = 0

        func now(_ r: Int) -> UInt64 { UInt64(Int64(wallClock) + replicas[r].skew) }

        func write(_ r: Int, record: String, changes: [String: FieldValue], step: Int) throws(Failure) {
            let seen = replicas[r].records.values.compactMap(\.latestStamp).max()
            let current = replicas[r].records[record]
            let next = replicas[r].state.write(changes, to: current, recordID: record, now: now(r))
            let stamp = next[changes.keys.first ?? ""]?.stamp
            if let seen, let stamp, stamp <= seen {
                throw Failure(seed: seed, step: step, message: "write stamp \(stamp) does not exceed seen \(seen)")
            }
            replicas[r].records[record] = next
            let saw = observed[r][record] ?? []
            for (field, _) in changes {
                if let register = next[field] {
                    byRegister[key(record, field, register.stamp)] = log.count
                    observed[r][record, default: []].insert(log.count)
                    log.append(Write(record: record, field: field, register: register, replica: replicas[r].state.id,
                                     seq: replicas[r].state.seq, saw: saw))
                }
            }
        }

        /// The oracle's verdict on two registers of one field: written by writes neither had seen.
        func concurrent(_ record: String, _ field: String, _ x: Register, _ y: Register) -> Bool? {
            guard let i = byRegister[key(record, field, x.stamp)], let j = byRegister[key(record, field, y.stamp)] else { return nil }
            return i != j && !log[i].saw.contains(j) && !log[j].saw.contains(i)
        }

        /// Whether a later write to the same field had seen the write of `register` (a causal overwrite).
        func replaced(_ record: String, _ field: String, _ register: Register) -> Bool {
            guard let n = byRegister[key(record, field, register.stamp)] else { return false }
            return log.contains { $0.record == record && $0.field == field && $0.saw.contains(n) }
        }

        func sync(from a: Int, to b: Int, step: Int) throws(Failure) {
            for (id, incoming) in replicas[a].records {
                replicas[b].state.observe(incoming, now: now(b))
                let stored = replicas[b].records[id]
                let outcome = Merge.receive(incoming, into: stored, detectedBy: replicas[b].state.id)
                replicas[b].records[id] = outcome.merged
                observed[b][id, default: []].formUnion(observed[a][id] ?? [])
                figures.merges += 1
                guard let stored else { continue }
                if let entry = outcome.conflict {
                    figures.entries += 1
                    figures.entryFields += entry.fields.count
                    for field in entry.fields {
                        guard let s = field.stored, let i = field.incoming else { continue }
                        guard concurrent(id, field.field, s, i) == true || entry.kind == .editVsDelete else {
                            throw Failure(seed: seed, step: step, message: "false conflict on \(id).\(field.field): \(s) vs \(i)")
                        }
                        if let lost = field.lost { keptLosers.insert(key(id, field.field, lost.stamp)) }
                    }
                }
                // No silent loss: when concurrent writes of different values meet, the loser is in an entry
                // (this one, or the one logged when they first met on another replica).
                if outcome.classification != .editVsDelete {
                    for field in stored.fields {
                        guard let i = incoming[field.name], i.value != field.register.value,
                              concurrent(id, field.name, field.register, i) == true else { continue }
                        let loser = i.isAfter(field.register) ? field.register : i
                        guard keptLosers.contains(key(id, field.name, loser.stamp)) || replaced(id, field.name, loser) else {
                            throw Failure(seed: seed, step: step, message: "\(id).\(field.name): concurrent writes met unreported")
                        }
                    }
                }
            }
        }

        for step in 0..<steps {
            wallClock += UInt64.random(in: 0...5, using: &random)
            let r = Int.random(in: 0..<replicaCount, using: &random)
            let known = replicas[r].records.keys.sorted()
            switch known.isEmpty ? 0 : Int.random(in: 0..<10, using: &random) {
            case 0...1:
                let id = "rec-\(nextRecord)"
                nextRecord += 1
                var values: [String: FieldValue] = [:]
                for field in fields { values[field] = field == RecordState.deletedField ? .bool(false) : .text("\(field)@\(step)") }
                try write(r, record: id, changes: values, step: step)
            case 2...4:
                let id = known[Int.random(in: 0..<known.count, using: &random)]
                var changes: [String: FieldValue] = [:]
                for _ in 0..<Int.random(in: 1...2, using: &random) {
                    let field = fields[Int.random(in: 0..<(fields.count - 1), using: &random)]
                    changes[field] = .text("\(field)@\(step)/\(r)")
                }
                try write(r, record: id, changes: changes, step: step)
            case 5:
                let id = known[Int.random(in: 0..<known.count, using: &random)]
                try write(r, record: id, changes: [RecordState.deletedField: .bool(true)], step: step)
            default:
                var other = Int.random(in: 0..<(replicaCount - 1), using: &random)
                if other >= r { other += 1 }
                try sync(from: r, to: other, step: step)
            }
        }

        // Every write reaches every replica: two full rounds of pairwise syncs in random order.
        for _ in 0..<2 {
            var pairs: [(Int, Int)] = []
            for a in 0..<replicaCount { for b in 0..<replicaCount where a != b { pairs.append((a, b)) } }
            pairs.shuffle(using: &random)
            for (a, b) in pairs { try sync(from: a, to: b, step: steps) }
        }

        let reference = replicas[0].records
        for (i, replica) in replicas.enumerated() where replica.records != reference {
            throw Failure(seed: seed, step: steps, message: "replica \(i) diverged from replica 0")
        }
        // No write lost: each field holds the write with the greatest stamp; each vector the latest seqs.
        var expected: [String: [String: Register]] = [:]
        var expectedVersion: [String: [ReplicaID: UInt64]] = [:]
        for w in log {
            if let old = expected[w.record]?[w.field], old.stamp >= w.register.stamp { } else {
                expected[w.record, default: [:]][w.field] = w.register
            }
            expectedVersion[w.record, default: [:]][w.replica] = max(expectedVersion[w.record]?[w.replica] ?? 0, w.seq)
        }
        guard Set(expected.keys) == Set(reference.keys) else {
            throw Failure(seed: seed, step: steps, message: "records missing: \(Set(expected.keys).symmetricDifference(reference.keys))")
        }
        for (id, fieldsByName) in expected {
            guard let state = reference[id] else { continue }
            for (field, register) in fieldsByName where state[field] != register {
                throw Failure(seed: seed, step: steps, message: "\(id).\(field) holds \(String(describing: state[field])), latest write was \(register)")
            }
            let version = VersionVector((expectedVersion[id] ?? [:]).map { ($0.key, $0.value) })
            guard state.version == version else {
                throw Failure(seed: seed, step: steps, message: "\(id) vector \(state.version) != \(version)")
            }
        }
        // No lost write: every write holds its field, was seen by the write that replaced it, or was kept
        // as a losing value in an entry.
        for w in log {
            guard let state = reference[w.record], state[w.field]?.value != w.register.value else { continue }
            guard replaced(w.record, w.field, w.register) || keptLosers.contains(key(w.record, w.field, w.register.stamp)) else {
                throw Failure(seed: seed, step: steps, message: "write \(w.record).\(w.field) = \(w.register.value) lost without an entry")
            }
        }
        return figures
    }
}
