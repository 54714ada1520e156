import Crypto
import SyncCore
import SyncProtocol

/// What the hub remembers of one write (a dot, §4): the replica and seq that name it, the record it went
/// to (as a 64-bit key) and its stamp. A write identity names one write for good: a store restored from
/// an older copy that writes again under its old replica id reuses identities the hub holds (§1).
package struct WriteRecord: Hashable, Sendable {
    package let replica: ReplicaID
    package let seq: UInt64
    package let record: Int64
    package let stamp: Stamp

    package init(replica: ReplicaID, seq: UInt64, record: Int64, stamp: Stamp) {
        self.replica = replica
        self.seq = seq
        self.record = record
        self.stamp = stamp
    }

    /// The 64-bit key of a record id: the first 8 bytes of its SHA-256.
    package static func key(_ record: String) -> Int64 {
        SHA256.hash(data: Array(record.utf8)).withUnsafeBytes { bytes in
            Int64(bitPattern: bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }

    /// The writes `state` holds (one per dot of its registers) that `base` did not hold.
    package static func new(in state: RecordState, over base: RecordState?) -> [WriteRecord] {
        var seen: Set<Stamp> = []
        var found: [WriteRecord] = []
        var key: Int64?
        for field in state.fields {
            let register = field.register
            guard register.seq > 0, base?[field.name] != register else { continue }
            // One write sets several fields with one stamp: one record per write.
            guard seen.insert(register.stamp).inserted else { continue }
            let recordKey = key ?? Self.key(state.id)
            key = recordKey
            found.append(WriteRecord(replica: register.stamp.replica, seq: register.seq, record: recordKey, stamp: register.stamp))
        }
        return found
    }

    /// Why `record` shows that `replica` reused one of its write identities: a register of that
    /// replica whose seq the hub holds as a write to another record, or with another stamp. Nil when none.
    package static func reuse(in record: RecordState, by replica: ReplicaID, held: [UInt64: WriteRecord]) -> String? {
        guard !held.isEmpty else { return nil }
        var key: Int64?
        for field in record.fields where field.register.stamp.replica == replica && field.register.seq > 0 {
            guard let known = held[field.register.seq] else { continue }
            let recordKey = key ?? Self.key(record.id)
            key = recordKey
            if known.record != recordKey {
                return "its write \(field.register.seq) is, at the hub, a write to another visit"
            }
            if known.stamp != field.register.stamp {
                return "its write \(field.register.seq) of \(field.name) is, at the hub, another write to this visit"
            }
        }
        return nil
    }

    /// The seqs of the pushing replica that a push's records name (what the store looks up before planning).
    package static func seqs(in request: PushRequest) -> [UInt64] {
        var seqs = Set((request.writes ?? []).map(\.seq))
        for record in request.records {
            for field in record.fields where field.register.stamp.replica == request.replica && field.register.seq > 0 {
                seqs.insert(field.register.seq)
            }
        }
        return seqs.sorted()
    }

    /// Why a write a push names beside its registers shows that its replica reused an identity (as `reuse(in:by:held:)`).
    package static func reuse(of write: WriteRef, held: [UInt64: WriteRecord]) -> String? {
        guard let known = held[write.seq] else { return nil }
        if known.record != key(write.record) { return "its write \(write.seq) is, at the hub, a write to another visit" }
        if known.stamp != write.stamp { return "its write \(write.seq) is, at the hub, another write to visit \(write.record)" }
        return nil
    }

    /// The seqs of `writes` the hub holds: remembered with the same record and stamp, or (not remembered)
    /// still a register of the stored state with the same stamp and seq.
    package static func held(_ writes: [WriteRef], remembered: [UInt64: WriteRecord],
                             stored: (String) -> RecordState?) -> [UInt64] {
        writes.filter { write in
            if let known = remembered[write.seq] { return known.record == key(write.record) && known.stamp == write.stamp }
            return stored(write.record)?.fields.contains { $0.register.stamp == write.stamp && $0.register.seq == write.seq } ?? false
        }.map(\.seq).sorted()
    }
}
