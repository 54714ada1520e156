import CompressNIO
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import TextSafety

/// HTTP body compression for the sync protocol (Protocol/README.md §6.1): gzip or deflate, chosen by
/// `Content-Encoding` / `Accept-Encoding`, with a bound on what a body may inflate to.
public enum WireCompression: String, Sendable, CaseIterable {
    case gzip, deflate

    /// Bodies smaller than this go as they are: compressing them saves less than its header costs.
    public static let threshold = 1_024

    /// Why a compressed body could not be read.
    public enum Failure: Error, Sendable, Equatable {
        /// It inflates beyond the limit (a compression bomb, or a batch too big).
        case tooLarge(limit: Int)
        /// It is not valid data of its encoding.
        case corrupt
    }

    /// The encoding named by a `Content-Encoding` value; nil for `identity` or none, `.failure` for an unknown one.
    public static func named(_ header: String?) -> Result<WireCompression?, UnknownEncoding> {
        guard let header = header?.trimmingWhitespace.lowercased(), !header.isEmpty, header != "identity" else {
            return .success(nil)
        }
        guard let encoding = WireCompression(rawValue: header) else { return .failure(UnknownEncoding(name: header)) }
        return .success(encoding)
    }

    /// A `Content-Encoding` this program cannot read.
    public struct UnknownEncoding: Error, Sendable { public let name: String }

    /// The encoding to answer with for an `Accept-Encoding` value (gzip preferred), nil when none is accepted.
    public static func preferred(accepting header: String?) -> WireCompression? {
        guard let header else { return nil }
        var accepted: Set<String> = []
        for item in header.lowercased().split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingWhitespace }
            guard let name = parts.first, !name.isEmpty else { continue }
            // `q=0` refuses an encoding.
            let quality = parts.dropFirst().first { $0.hasPrefix("q=") }.flatMap { Double($0.dropFirst(2)) } ?? 1
            if quality > 0 { accepted.insert(name) }
        }
        if accepted.contains("gzip") || accepted.contains("*") { return .gzip }
        return accepted.contains("deflate") ? .deflate : nil
    }

    /// Whether the stream's trailer matches what it inflated to.
    func complete(_ bytes: [UInt8], inflated: [UInt8]) -> Bool {
        switch self {
        case .gzip:
            guard bytes.count >= 18, bytes[0] == 0x1f, bytes[1] == 0x8b else { return false }
            let trailer = bytes.suffix(8).map(UInt32.init)
            let crc = trailer[0] | trailer[1] << 8 | trailer[2] << 16 | trailer[3] << 24
            let size = trailer[4] | trailer[5] << 8 | trailer[6] << 16 | trailer[7] << 24
            return size == UInt32(truncatingIfNeeded: inflated.count) && crc == Self.crc32(inflated)
        case .deflate:
            guard bytes.count >= 6 else { return false }
            let trailer = bytes.suffix(4).map(UInt32.init)
            return trailer[0] << 24 | trailer[1] << 16 | trailer[2] << 8 | trailer[3] == Self.adler32(inflated)
        }
    }

    static let crcTable: [UInt32] = (0..<256).map { n in
        (0..<8).reduce(UInt32(n)) { c, _ in c & 1 == 1 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    }

    /// CRC-32 (ISO 3309, as gzip's trailer).
    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        ~bytes.reduce(~UInt32(0)) { crc, byte in crcTable[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
    }

    /// Adler-32 (RFC 1950, as zlib's trailer).
    static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1, b: UInt32 = 0
        for chunk in stride(from: 0, to: bytes.count, by: 5_552) {
            for byte in bytes[chunk..<min(bytes.count, chunk + 5_552)] {
                a += UInt32(byte)
                b += a
            }
            a %= 65_521
            b %= 65_521
        }
        return b << 16 | a
    }

    var algorithm: CompressionAlgorithm {
        switch self {
        // Level 6 (zlib's default): 2 % more bytes than level 9 on sync bodies (93 against 91 per visit change in the
        // compact form), at a fraction of the CPU, which old laptops and the hub's merge share.
        case .gzip: .gzip(configuration: ZlibConfiguration(compressionLevel: 6, memoryLevel: 9))
        // HTTP's `deflate` is the zlib format (RFC 9110 §8.4.1.2), not a raw deflate stream.
        case .deflate: .zlib(configuration: ZlibConfiguration(compressionLevel: 6, memoryLevel: 9))
        }
    }

    /// The bytes compressed.
    public func compress(_ bytes: some Collection<UInt8>) throws -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        let compressed = try buffer.compress(with: algorithm)
        return Array(compressed.readableBytesView)
    }

    /// The bytes inflated, refusing to produce more than `limit` bytes.
    public func decompress(_ bytes: some Collection<UInt8>, limit: Int) throws(Failure) -> [UInt8] {
        var buffer = ByteBuffer(bytes: bytes)
        do {
            let inflated = try buffer.decompress(with: algorithm, maxSize: limit)
            guard inflated.readableBytes <= limit else { throw Failure.tooLarge(limit: limit) }
            let result = Array(inflated.readableBytesView)
            // zlib stops quietly at the end of its input: a cut stream inflates to a shorter body. The
            // trailer (gzip: CRC-32 and length; zlib: Adler-32) tells a whole stream from a cut one.
            guard complete(Array(bytes), inflated: result) else { throw Failure.corrupt }
            return result
        } catch let failure as Failure {
            throw failure
        } catch let error as CompressNIOError where error == .bufferOverflow {
            throw .tooLarge(limit: limit)
        } catch {
            throw .corrupt
        }
    }
}
