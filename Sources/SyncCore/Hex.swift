/// Fixed-width lowercase hexadecimal, through a lookup table (String(format:) is ten times slower).
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends the low `width` nibbles of `value`, most significant first.
    static func append(_ value: UInt64, width: Int, to bytes: inout [UInt8]) {
        var shift = (width - 1) * 4
        while shift >= 0 {
            bytes.append(digits[Int((value >> UInt64(shift)) & 0xf)])
            shift -= 4
        }
    }

    /// Parses exactly `text.count` lowercase hex digits (at most 16).
    static func parse<S: Collection>(_ text: S) -> UInt64? where S.Element == UInt8 {
        guard !text.isEmpty, text.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in text {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            value = value << 4 | UInt64(nibble)
        }
        return value
    }

    /// Encodes bytes as lowercase hex.
    public static func encode<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var out: [UInt8] = []
        for byte in bytes { append(UInt64(byte), width: 2, to: &out) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes of lowercase hex (any length), nil for anything else.
    public static func bytes(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 2)
        for i in stride(from: 0, to: chars.count, by: 2) {
            guard let byte = parse(chars[i...i + 1]) else { return nil }
            out.append(UInt8(byte))
        }
        return out
    }
}
