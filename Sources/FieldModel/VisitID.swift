#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// New visit ids: UUID version 7 (RFC 9562) — 48 bits of Unix milliseconds, then random bits.
///
/// Ids made close in time sort close together, so the hub's `id` index takes a push's visits at
/// neighbouring places instead of scattering them (a random v4 id touches a different page per insert).
public enum VisitID {
    /// A fresh lowercase UUIDv7 for a visit logged at `now`.
    public static func make(now: Date = Date()) -> String {
        var generator = SystemRandomNumberGenerator()
        let millis = UInt64(max(0, now.timeIntervalSince1970 * 1000)) & 0xFFFF_FFFF_FFFF
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: millis >> (40 - 8 * UInt64(i))) }
        for i in 6..<16 { bytes[i] = UInt8.random(in: 0...255, using: &generator) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // RFC 9562 variant
        let uuid = UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                               bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
        return uuid.uuidString.lowercased()
    }
}
