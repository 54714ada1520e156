import Testing
import WireCompression

@Suite struct WireCompressionTests {
    static let body = Array(String(repeating: #"{"id":"01a24575-88dd-7426-b442-dbd892b90555","name":"Trần Văn Bình"},"#, count: 200).utf8)

    @Test(arguments: WireCompression.allCases)
    func aBodyComesBackAsItWasAndSmaller(_ encoding: WireCompression) throws {
        let compressed = try encoding.compress(Self.body)
        #expect(compressed.count < Self.body.count / 10)
        #expect(try encoding.decompress(compressed, limit: Self.body.count) == Self.body)
    }

    @Test(arguments: WireCompression.allCases)
    func aBombIsRefusedAtTheLimitWithoutInflatingIt(_ encoding: WireCompression) throws {
        let bomb = try encoding.compress([UInt8](repeating: 0, count: 64 << 20))
        #expect(bomb.count < 128 << 10, "64 MiB of zeros fit in \(bomb.count) bytes")
        #expect(throws: WireCompression.Failure.tooLarge(limit: 4 << 20)) { try encoding.decompress(bomb, limit: 4 << 20) }
        #expect(throws: WireCompression.Failure.tooLarge(limit: Self.body.count - 1)) {
            try encoding.decompress(try encoding.compress(Self.body), limit: Self.body.count - 1)
        }
    }

    @Test(arguments: WireCompression.allCases)
    func garbageAndEveryTruncationAreCorruptNeverACrash(_ encoding: WireCompression) throws {
        #expect(throws: WireCompression.Failure.corrupt) { try encoding.decompress(Array("not compressed at all".utf8), limit: 1 << 20) }
        let compressed = try encoding.compress(Self.body)
        for cut in stride(from: 0, to: compressed.count, by: 7) {
            #expect(throws: WireCompression.Failure.self) { try encoding.decompress(Array(compressed.prefix(cut)), limit: 1 << 20) }
        }
    }

    @Test(arguments: [
        ("gzip, deflate, br", WireCompression.gzip), ("deflate", .deflate), ("br", nil), ("gzip;q=0, deflate", .deflate),
        ("*", .gzip), ("identity", nil), ("GZIP", .gzip), ("gzip;q=0.5", .gzip), ("", nil),
    ] as [(String, WireCompression?)])
    func acceptEncodingChoosesWhatTheClientTakes(header: String, expected: WireCompression?) {
        #expect(WireCompression.preferred(accepting: header) == expected)
    }

    @Test func contentEncodingNamesAreReadOrRefused() throws {
        #expect(try WireCompression.named(nil).get() == nil)
        #expect(try WireCompression.named("identity").get() == nil)
        #expect(try WireCompression.named(" Gzip ").get() == .gzip)
        #expect(throws: WireCompression.UnknownEncoding.self) { try WireCompression.named("br").get() }
    }
}
