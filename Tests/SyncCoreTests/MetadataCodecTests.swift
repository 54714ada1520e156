import SyncCore
import Testing

@Suite struct MetadataCodecTests {
    let a = ReplicaID(rawValue: 0x1122334455667788), b = ReplicaID(rawValue: 0x99)

    @Test func roundTripsVectorsAndSharedStamps() throws {
        let s1 = Stamp(millis: 1_763_600_000_000, counter: 0, replica: a)
        let s2 = Stamp(millis: 1_763_600_000_500, counter: 3, replica: b)
        let version: VersionVector = [a: 5, b: 1]
        let stamps: [Stamp?] = [s1, s1, s2, nil, s1]
        let bytes = MetadataCodec.encode(version: version, stamps: stamps)
        let (decodedVersion, decodedStamps) = try MetadataCodec.decode(bytes, fieldCount: 5)
        #expect(decodedVersion == version)
        #expect(decodedStamps == stamps)
    }

    @Test func oneWriterFitsInFortyEightBytes() {
        let s = Stamp(millis: 1_763_600_000_000, counter: 0, replica: a)
        let bytes = MetadataCodec.encode(version: [a: 123], stamps: Array(repeating: s, count: 13))
        #expect(bytes.count <= 48)
    }

    @Test func rejectsTruncatedAndTrailingBytes() throws {
        let s = Stamp(millis: 1_763_600_000_000, counter: 0, replica: a)
        let bytes = MetadataCodec.encode(version: [a: 1], stamps: [s, s])
        for cut in 0..<bytes.count {
            #expect(throws: MetadataError.self) { try MetadataCodec.decode(Array(bytes.prefix(cut)), fieldCount: 2) }
        }
        #expect(throws: MetadataError.malformed) { try MetadataCodec.decode(bytes + [0], fieldCount: 2) }
        #expect(throws: MetadataError.unknownFormat) { try MetadataCodec.decode([2] + bytes.dropFirst(), fieldCount: 2) }
    }
}
