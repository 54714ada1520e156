/// The compact binary form of a record's sync metadata (version vector and the write behind each
/// field), as stores keep it beside the field values.
///
/// Layout (format 2): `0x02`; replica count, then per replica its 8-byte id (little endian) and its
/// seq (0 when the replica wrote a field but is not in the vector); write count, then per distinct
/// write its millis, counter, replica index and seq (0: unknown); then per field of the caller's
/// schema the index of its write plus one (0: no register). Every integer but the ids is an unsigned
/// LEB128 varint. Format 1, written before writes carried their seq, is the same without the seqs of
/// writes; it is still read (every seq 0).
public enum MetadataCodec {
    /// Encodes a vector and the writes behind the fields of a fixed schema, in schema order.
    public static func encode(version: VersionVector, writes: [WriteID?]) -> [UInt8] {
        var replicas = version.entries.map { ($0.replica, $0.seq) }
        var distinct: [WriteID] = []
        var fieldIndex: [Int] = []
        fieldIndex.reserveCapacity(writes.count)
        for write in writes {
            guard let write else { fieldIndex.append(0); continue }
            if let i = distinct.firstIndex(of: write) {
                fieldIndex.append(i + 1)
            } else {
                distinct.append(write)
                fieldIndex.append(distinct.count)
                if !replicas.contains(where: { $0.0 == write.stamp.replica }) { replicas.append((write.stamp.replica, 0)) }
            }
        }
        var out: [UInt8] = [2]
        out.reserveCapacity(4 + replicas.count * 10 + distinct.count * 11 + writes.count)
        appendVarint(UInt64(replicas.count), to: &out)
        for (replica, seq) in replicas {
            var raw = replica.rawValue.littleEndian
            withUnsafeBytes(of: &raw) { out.append(contentsOf: $0) }
            appendVarint(seq, to: &out)
        }
        appendVarint(UInt64(distinct.count), to: &out)
        for write in distinct {
            appendVarint(write.stamp.millis, to: &out)
            appendVarint(UInt64(write.stamp.counter), to: &out)
            appendVarint(UInt64(replicas.firstIndex { $0.0 == write.stamp.replica } ?? 0), to: &out)
            appendVarint(write.seq, to: &out)
        }
        for index in fieldIndex { appendVarint(UInt64(index), to: &out) }
        return out
    }

    /// Decodes metadata written by `encode` (format 2, or format 1 with every seq 0) for a schema of
    /// `fieldCount` fields, of which the last `added` were added later: metadata written before them
    /// ends early, and those fields were never written.
    /// - Throws: `MetadataError` when the bytes are truncated, malformed or of another schema.
    public static func decode(_ bytes: [UInt8], fieldCount: Int, added: Int = 0) throws(MetadataError) -> (VersionVector, [WriteID?]) {
        var reader = Reader(bytes: bytes)
        let format = try reader.byte()
        guard format == 1 || format == 2 else { throw .unknownFormat }
        let replicaCount = try reader.count(limit: 10_000)
        var replicas: [ReplicaID] = []
        var pairs: [(ReplicaID, UInt64)] = []
        replicas.reserveCapacity(replicaCount)
        for _ in 0..<replicaCount {
            let replica = ReplicaID(rawValue: try reader.uint64LE())
            replicas.append(replica)
            pairs.append((replica, try reader.varint()))
        }
        let stampCount = try reader.count(limit: 10_000)
        var distinct: [WriteID] = []
        distinct.reserveCapacity(stampCount)
        for _ in 0..<stampCount {
            let millis = try reader.varint()
            let counter = try reader.varint()
            let index = try reader.varint()
            let seq = format == 2 ? try reader.varint() : 0
            guard millis <= Stamp.maxMillis, counter <= UInt32.max, index < replicas.count else { throw .malformed }
            distinct.append(WriteID(stamp: Stamp(millis: millis, counter: UInt32(counter), replica: replicas[Int(index)]), seq: seq))
        }
        var writes: [WriteID?] = []
        writes.reserveCapacity(fieldCount)
        for position in 0..<fieldCount {
            if added > 0 && position == fieldCount - added && reader.isAtEnd {
                writes += Array(repeating: nil, count: added)
                break
            }
            let index = try reader.varint()
            guard index <= distinct.count else { throw .malformed }
            writes.append(index == 0 ? nil : distinct[Int(index) - 1])
        }
        guard reader.isAtEnd else { throw .malformed }
        return (VersionVector(pairs), writes)
    }

    static func appendVarint(_ value: UInt64, to out: inout [UInt8]) {
        var value = value
        while value >= 0x80 {
            out.append(UInt8(value & 0x7f) | 0x80)
            value >>= 7
        }
        out.append(UInt8(value))
    }

    private struct Reader {
        let bytes: [UInt8]
        var offset = 0
        var isAtEnd: Bool { offset == bytes.count }

        mutating func byte() throws(MetadataError) -> UInt8 {
            guard offset < bytes.count else { throw .truncated }
            defer { offset += 1 }
            return bytes[offset]
        }

        mutating func varint() throws(MetadataError) -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = try byte()
                guard shift < 64 else { throw .malformed }
                value |= UInt64(b & 0x7f) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        mutating func count(limit: Int) throws(MetadataError) -> Int {
            let value = try varint()
            guard value <= UInt64(limit) else { throw .malformed }
            return Int(value)
        }

        mutating func uint64LE() throws(MetadataError) -> UInt64 {
            var value: UInt64 = 0
            for shift in stride(from: 0, to: 64, by: 8) { value |= UInt64(try byte()) << UInt64(shift) }
            return value
        }
    }
}

/// Why stored sync metadata could not be read.
public enum MetadataError: Error, Equatable, Sendable, CustomStringConvertible {
    case truncated
    case malformed
    case unknownFormat

    public var description: String {
        switch self {
        case .truncated: "the record's sync metadata is cut short: the store file is damaged"
        case .malformed: "the record's sync metadata is malformed: the store file is damaged"
        case .unknownFormat: "the record's sync metadata has an unknown format: it was written by a newer FieldSync"
        }
    }
}
