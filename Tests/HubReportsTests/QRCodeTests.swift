import FieldSyncTesting
import Foundation
import Testing
@testable import HubReports

/// The console's QR codes: the structure the standard fixes, and a real decoder (zbarimg, Debian's
/// zbar-tools, installed by Tools/setup.sh) reading back what was encoded.
@Suite struct QRCodeTests {
    @Test func theFormatBitsAndCheckCodewordsAreTheStandardOnes() {
        #expect(QRCode.formatBits(mask: 0) == 0b101010000010010, "level M, mask 0 (ISO/IEC 18004 table C.1)")
        // The example of ISO/IEC 18004 annex I: "01234567" in version 1-M.
        let data = [0x10, 0x20, 0x0C, 0x56, 0x61, 0x80, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11, 0xEC, 0x11]
        #expect(QRCode.reedSolomon(data, degree: 10) == [0xA5, 0x24, 0xD4, 0xC1, 0xED, 0x36, 0xC7, 0x87, 0x2C, 0x55])
        #expect(QRCode(alphanumeric: "fp1r") == nil, "lower case is not alphanumeric mode")
        #expect(QRCode(alphanumeric: String(repeating: "A", count: 21)) == nil)
        let code = QRCode(alphanumeric: "FP1R-1N6T-TYPD")
        #expect(code?.modules.count == 21 && code?.modules[0][0] == true && code?.modules[1][1] == false && code?.modules[13][8] == true)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/zbarimg")
                   || ProcessInfo.processInfo.environment["FIELDSYNC_REQUIRE_BROWSER"] == "1"),
          arguments: ["FP1R-1N6T-TYPD", "A", "00004", "HELLO WORLD", "ZZZZ-ZZZZ-ZZZZ-ZZZ/:"])
    func aRealDecoderReadsItBack(text: String) throws {
        let code = try #require(QRCode(alphanumeric: text))
        // A plain PBM image, 8 pixels a module, with the quiet zone.
        let scale = 8, side = (QRCode.size + 8) * scale
        var pixels = "P1\n\(side) \(side)\n"
        for y in 0..<side {
            let row = (0..<side).map { x -> String in
                let (mx, my) = (x / scale - 4, y / scale - 4)
                let dark = (0..<QRCode.size).contains(mx) && (0..<QRCode.size).contains(my) && code.modules[my][mx]
                return dark ? "1" : "0"
            }
            pixels += row.joined(separator: " ") + "\n"
        }
        let dir = TemporaryDirectory()
        try pixels.write(toFile: dir.file("qr.pbm"), atomically: true, encoding: .ascii)
        let result = try Executables.run("/usr/bin/zbarimg", ["--raw", "-q", dir.file("qr.pbm")])
        #expect(result.status == 0 && result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == text, "\(result)")
    }
}
