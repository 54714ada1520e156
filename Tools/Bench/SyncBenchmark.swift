import FieldModel
import FieldSyncTesting
import Foundation
import SyncCore

/// Issue 3's figures: the pure join's speed on visit states, and the size of sync metadata per visit.
enum SyncBenchmark {
    static let base: UInt64 = 1_763_600_000_000

    /// A visit state written by `writers` replicas: the first logged it, each other edited one field.
    static func visitState(writers: Int, variant: Int) -> RecordState {
        let visit = Visit(id: "0b9f5c1e-8a53-4c5e-9d7e-2f1b6c3a4d5e", service: .vneidLevel2, outcome: .pending,
                          commune: "00004", citizenName: "Nguyễn Văn An",
                          citizenID: ProtectedCitizenID(masked: "001******345", keyedHash: String(repeating: "ab", count: 32)),
                          phone: "0971234567", reason: .otpNotReceived, note: "", visitedAt: Date(timeIntervalSince1970: 1_763_600_000),
                          volunteer: "Trần Thị Lan", team: "T-00004-01",
                          consent: Consent(at: Date(timeIntervalSince1970: 1_763_600_000), by: "Trần Thị Lan", policy: "PDPL-2026-v1"))
        var replica = ReplicaState(id: ReplicaID(rawValue: 0x1000))
        var values: [String: FieldValue] = [:]
        for (field, value) in visit.fieldValues { values[field.rawValue] = value }
        var state = replica.write(values, to: nil, recordID: visit.id, now: base)
        if writers == 1 && variant == 1 {  // the same writer's follow-up: a fast-forward pair
            state = replica.write(["outcome": .text("done"), "reason": .null], to: state, recordID: visit.id, now: base + 500)
        }
        let editable = ["outcome", "note", "reason", "phone"]
        for w in 1..<writers {
            var editor = ReplicaState(id: ReplicaID(rawValue: 0x1000 + UInt64(w) + UInt64(variant) * 100))
            editor.observe(state, now: base + UInt64(w))
            state = editor.write([editable[(w + variant) % editable.count]: .text("sửa \(w)/\(variant)")], to: state,
                                 recordID: visit.id, now: base + UInt64(w) * 1000)
        }
        return state
    }

    static func run(merges: Int) {
        for writers in [1, 2, 5] {
            // Two states of the same record as a hub meets them: a follow-up (1 writer) or concurrent edits.
            let a = visitState(writers: writers, variant: 0), b = visitState(writers: writers, variant: 1)
            var sink = 0
            let start = DispatchTime.now().uptimeNanoseconds
            for i in 0..<merges {
                let merged = i & 1 == 0 ? a.merged(with: b) : b.merged(with: a)
                sink &+= merged.fields.count
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let classifyStart = DispatchTime.now().uptimeNanoseconds
            for _ in 0..<merges / 10 {
                sink &+= Merge.receive(b, into: a, detectedBy: ReplicaID(rawValue: 1)).merged.fields.count
            }
            let classifySeconds = Double(DispatchTime.now().uptimeNanoseconds - classifyStart) / 1e9
            print(String(format: "join of two %d-writer visit states: %.2f M merges/s; receive with classification and conflict entry: %.2f M/s (sink %d)",
                         writers, Double(merges) / seconds / 1e6, Double(merges / 10) / classifySeconds / 1e6, sink % 10))
        }
        for writers in [1, 3] {
            let state = visitState(writers: writers, variant: 0)
            let writes = VisitField.writes(of: state)
            let bytes = MetadataCodec.encode(version: state.version, writes: writes).count
            print("sync metadata of a visit with \(writers) writer(s): \(bytes) bytes (version vector + \(writes.count) field writes; "
                  + "budget \(64 + 12 * (writers - 1)))")
        }
    }

    static func soak(histories: Int, seed: UInt64, steps: Int) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        var merges = 0, entries = 0, entryFields = 0
        for n in 0..<histories {
            let historySeed = seed &+ UInt64(n)
            var random = SeededRandom(seed: historySeed)
            let replicas = Int.random(in: 3...5, using: &random)
            let length = Int.random(in: 1...steps, using: &random)
            let figures = try ConvergenceSimulation.check(seed: historySeed, replicaCount: replicas, steps: length)
            merges += figures.merges
            entries += figures.entries
            entryFields += figures.entryFields
            if (n + 1) % 10_000 == 0 { print("\(n + 1) histories converged") }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        print(String(format: "soak: %d histories (seeds %d…%d, up to %d steps, 3-5 replicas) converged, %d merges, %.1f s; "
                     + "%d entries with %d fields, every one concurrent by the oracle; no write lost",
                     histories, seed, seed &+ UInt64(histories - 1), steps, merges, seconds, entries, entryFields))
    }
}
