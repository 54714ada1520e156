import SyncCore
import Testing

@Suite struct MetadataCodecTests {
    let a = ReplicaID(rawValue: 0x1122334455667788), b = ReplicaID(rawValue: 0x99)

    @Test func roundTripsVectorsAndSharedWrites() throws {
        let w1 = WriteID(stamp: Stamp(millis: 1_763_600_000_000, counter: 0, replica: a), seq: 5)
        let w2 = WriteID(stamp: Stamp(millis: 1_763_600_000_500, counter: 3, replica: b), seq: 1)
        let legacy = WriteID(stamp: Stamp(millis: 1_763_600_000_000, counter: 1, replica: a), seq: 0)
        let version: VersionVector = [a: 5, b: 1]
        let writes: [WriteID?] = [w1, w1, w2, nil, legacy]
        let bytes = MetadataCodec.encode(version: version, writes: writes)
        let (decodedVersion, decodedWrites) = try MetadataCodec.decode(bytes, fieldCount: 5)
        #expect(decodedVersion == version)
        #expect(decodedWrites == writes)
    }

    @Test func readsFormatOneWithUnknownSeqs() throws {
        // Format 1 as protocol-1 stores wrote it: vector [a: 2], one write (millis 1000, counter 0, replica 0), two fields.
        var bytes: [UInt8] = [1, 1]
        withUnsafeBytes(of: a.rawValue.littleEndian) { bytes.append(contentsOf: $0) }
        bytes += [2, 1, 0xe8, 0x07, 0, 0, 1, 1]
        let (version, writes) = try MetadataCodec.decode(bytes, fieldCount: 2)
        #expect(version == [a: 2])
        #expect(writes == [WriteID(stamp: Stamp(millis: 1000, counter: 0, replica: a), seq: 0),
                           WriteID(stamp: Stamp(millis: 1000, counter: 0, replica: a), seq: 0)])
    }

    @Test func oneWriterFitsInSixtyFourBytes() {
        let w = WriteID(stamp: Stamp(millis: 1_763_600_000_000, counter: 0, replica: a), seq: 123)
        let bytes = MetadataCodec.encode(version: [a: 123], writes: Array(repeating: w, count: 13))
        #expect(bytes.count <= 64)
    }

    @Test func rejectsTruncatedAndTrailingBytes() throws {
        let w = WriteID(stamp: Stamp(millis: 1_763_600_000_000, counter: 0, replica: a), seq: 1)
        let bytes = MetadataCodec.encode(version: [a: 1], writes: [w, w])
        for cut in 0..<bytes.count {
            #expect(throws: MetadataError.self) { try MetadataCodec.decode(Array(bytes.prefix(cut)), fieldCount: 2) }
        }
        #expect(throws: MetadataError.malformed) { try MetadataCodec.decode(bytes + [0], fieldCount: 2) }
        #expect(throws: MetadataError.unknownFormat) { try MetadataCodec.decode([3] + bytes.dropFirst(), fieldCount: 2) }
    }

    /// Metadata written before the schema gained fields (a store's rows from before `erased`) still reads.
    @Test func metadataFromBeforeAddedFieldsReadsThemAsNeverWritten() throws {
        let w = WriteID(stamp: Stamp(millis: 1_763_600_000_000, counter: 0, replica: a), seq: 1)
        let old = MetadataCodec.encode(version: [a: 1], writes: [w, w])
        let (version, writes) = try MetadataCodec.decode(old, fieldCount: 3, added: 1)
        #expect(version == [a: 1] && writes == [w, w, nil])
        #expect(throws: MetadataError.self) { try MetadataCodec.decode(old, fieldCount: 3) }
        #expect(throws: MetadataError.self) { try MetadataCodec.decode(Array(old.dropLast()), fieldCount: 3, added: 1) }
        let new = MetadataCodec.encode(version: [a: 1], writes: [w, w, w])
        #expect(try MetadataCodec.decode(new, fieldCount: 3, added: 1).1 == [w, w, w])
    }
}
