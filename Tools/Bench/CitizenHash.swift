import Crypto
import Foundation

/// Protocol 2's keyed hash of a citizen ID (HMAC-SHA-256 under a key every laptop held): kept to measure
/// what recovering IDs from it cost (`fieldsync-bench cccd-recovery`).
enum CitizenHash {
    /// Lowercase hex HMAC-SHA-256 of the 12 digits under the deployment key (64 hex digits); nil for a bad key.
    static func hash(_ digits: String, keyHex: String) -> String? {
        guard keyHex.utf8.count == 64, let key = bytes(hex: keyHex) else { return nil }
        let code = HMAC<SHA256>.authenticationCode(for: Array(digits.utf8), using: SymmetricKey(data: key))
        return hex(Array(code))
    }

    static let digits = Array("0123456789abcdef".utf8)

    static func hex(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0xf)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let chars = Array(hex.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let high = nibble(chars[i]), let low = nibble(chars[i + 1]) else { return nil }
            out.append(high << 4 | low)
        }
        return out
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
