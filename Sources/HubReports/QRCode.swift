/// A QR code (ISO/IEC 18004) of version 1, error correction level M, for short alphanumeric text such
/// as an enrolment code (`FP1R-1N6T-TYPD`): 21×21 modules, up to 20 characters of `0-9 A-Z $%*+-./:`
/// and space. Small enough to write here (no QR library in the mirror), drawn as inline SVG so a
/// volunteer's phone camera can read a code off a coordinator's screen.
public struct QRCode: Sendable, Equatable {
    /// Modules per side.
    public static let size = 21
    static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    /// Row-major dark modules.
    public private(set) var modules: [[Bool]]

    /// The code for `text`, or nil when it does not fit version 1-M in alphanumeric mode.
    public init?(alphanumeric text: String) {
        let values = text.compactMap { Self.alphabet.firstIndex(of: $0) }
        guard values.count == text.count, values.count <= 20 else { return nil }
        // Data bits: mode 0010, a 9-bit count, pairs in 11 bits, a last single in 6, terminator, padding.
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        append(0b0010, 4)
        append(values.count, 9)
        var index = 0
        while index + 1 < values.count {
            append(values[index] * 45 + values[index + 1], 11)
            index += 2
        }
        if index < values.count { append(values[index], 6) }
        let capacity = 16 * 8
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var data = stride(from: 0, to: bits.count, by: 8).map { start in bits[start..<start + 8].reduce(0) { $0 << 1 | ($1 ? 1 : 0) } }
        var pad = 0xEC
        while data.count < 16 {
            data.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        let codewords = data + Self.reedSolomon(data, degree: 10)

        let n = Self.size
        var dark = Array(repeating: Array(repeating: false, count: n), count: n)
        var function = dark
        func set(_ x: Int, _ y: Int, _ value: Bool) {
            dark[y][x] = value
            function[y][x] = true
        }
        for i in 0..<n {
            set(6, i, i % 2 == 0)
            set(i, 6, i % 2 == 0)
        }
        for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            for dy in -4...4 {
                for dx in -4...4 where (0..<n).contains(cx + dx) && (0..<n).contains(cy + dy) {
                    let distance = max(abs(dx), abs(dy))
                    set(cx + dx, cy + dy, distance != 2 && distance != 4)
                }
            }
        }
        // Format information: level M (00) and mask 0, with its BCH check, masked by 0x5412.
        let format = Self.formatBits(mask: 0)
        func bit(_ i: Int) -> Bool { (format >> i) & 1 == 1 }
        for i in 0...5 { set(8, i, bit(i)) }
        set(8, 7, bit(6))
        set(8, 8, bit(7))
        set(7, 8, bit(8))
        for i in 9..<15 { set(14 - i, 8, bit(i)) }
        for i in 0..<8 { set(n - 1 - i, 8, bit(i)) }
        for i in 8..<15 { set(8, n - 15 + i, bit(i)) }
        set(8, n - 8, true)
        // Codewords in the zigzag order, two columns at a time from the right, skipping the timing column.
        var bitIndex = 0
        var right = n - 1
        while right >= 1 {
            if right == 6 { right = 5 }
            for vertical in 0..<n {
                for j in 0..<2 {
                    let x = right - j
                    let y = ((right + 1) & 2) == 0 ? n - 1 - vertical : vertical
                    guard !function[y][x], bitIndex < codewords.count * 8 else { continue }
                    dark[y][x] = (codewords[bitIndex >> 3] >> (7 - bitIndex & 7)) & 1 == 1
                    bitIndex += 1
                }
            }
            right -= 2
        }
        // Mask 0: invert data modules where (row + column) is even.
        for y in 0..<n {
            for x in 0..<n where !function[y][x] && (x + y) % 2 == 0 { dark[y][x].toggle() }
        }
        modules = dark
    }

    /// The 15 format bits for level M and a mask pattern.
    static func formatBits(mask: Int) -> Int {
        let data = 0b00 << 3 | mask
        var remainder = data
        for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
        return (data << 10 | remainder) ^ 0x5412
    }

    /// The Reed–Solomon check codewords of `data` over GF(256) (polynomial 0x11D).
    static func reedSolomon(_ data: [Int], degree: Int) -> [Int] {
        func multiply(_ x: Int, _ y: Int) -> Int {
            var z = 0
            for i in stride(from: 7, through: 0, by: -1) {
                z = (z << 1) ^ ((z >> 7) * 0x11D)
                z ^= ((y >> i) & 1) * x
            }
            return z
        }
        var divisor = Array(repeating: 0, count: degree)
        divisor[degree - 1] = 1
        var root = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                divisor[j] = multiply(divisor[j], root)
                if j + 1 < degree { divisor[j] ^= divisor[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        var result = Array(repeating: 0, count: degree)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<degree { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }

    /// The code as SVG: dark modules as one path, with the 4-module quiet zone the standard asks for.
    public func svg(pixels: Int = 168, label: String) -> String {
        let side = Self.size + 8
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, isDark) in row.enumerated() where isDark { path += "M\(x + 4) \(y + 4)h1v1h-1z" }
        }
        return "<svg class=\"qr\" viewBox=\"0 0 \(side) \(side)\" width=\"\(pixels)\" height=\"\(pixels)\" role=\"img\" aria-label=\"\(ReportDocument.escape(label))\" shape-rendering=\"crispEdges\">"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/><path d=\"\(path)\" fill=\"#000\"/></svg>"
    }
}
