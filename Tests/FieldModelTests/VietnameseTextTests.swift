@testable import FieldModel
import Testing

@Suite struct VietnameseTextTests {
    @Test(arguments: [
        ("Nguyễn Văn A", "nguyen van a"),
        ("NGUYỄN VĂN A", "nguyen van a"),
        ("Nguye\u{0302}\u{0303}n Va\u{0306}n A", "nguyen van a"),  // NFD input
        ("Đặng Thị Đào", "dang thi dao"),  // đ/Đ fold to d, which decomposition does not do
        ("\u{00D0}ặng Thị \u{00F0}ào", "dang thi dao"),  // Ð/ð (eth), typed for Đ/đ by some keyboards
        ("Hoà", "hoa"),  // old-style tone placement
        ("Hòa", "hoa"),  // new-style tone placement
        ("  Lê   Thị\tHương  ", "le thi huong"),
        ("Ưng Hoàng Phúc", "ung hoang phuc"),
        ("\u{00A0}Lê\u{00A0}\u{3000}Thị\u{2028}", "le thi"),  // spaces beyond ASCII
        ("ΩMEGA Ⅻ", "ωmega ⅻ"),  // letters outside the table are lower-cased by Unicode
    ])
    func folds(input: String, folded: String) {
        #expect(VietnameseText.fold(input) == folded)
    }

    @Test func bothTonePlacementsFoldTogetherButStayDistinctInNFC() {
        #expect(VietnameseText.fold("Thuỷ Hoà") == VietnameseText.fold("Thủy Hòa"))
        #expect(VietnameseText.nfc("Hoà") != VietnameseText.nfc("Hòa"))
    }

    @Test func nfcComposesDecomposedInput() {
        let nfd = "Nguye\u{0302}\u{0303}n"
        let nfc = VietnameseText.nfc(nfd)
        #expect(nfc == "Nguyễn")
        #expect(nfc.unicodeScalars.count == 6)
        #expect(Array(nfc.utf8) == Array("Nguyễn".utf8))
    }

    @Test func cleanTrimsComposesAndRejectsBadText() throws {
        #expect(try VietnameseText.clean("  Nguye\u{0302}\u{0303}n  ", field: "name", limit: 10) == "Nguyễn")
        #expect(throws: InputError.emptyText(field: "name")) { try VietnameseText.clean("   ", field: "name", limit: 10) }
        #expect(throws: InputError.textTooLong(field: "name", limit: 3)) { try VietnameseText.clean("abcd", field: "name", limit: 3) }
        #expect(throws: InputError.controlCharacters(field: "name")) { try VietnameseText.clean("a\u{0007}b", field: "name", limit: 9) }
        #expect(throws: InputError.controlCharacters(field: "name")) { try VietnameseText.clean("a\nb", field: "name", limit: 9) }
        #expect(try VietnameseText.clean("a\nb", field: "note", limit: 9, allowNewlines: true) == "a\nb")
    }

    @Test func theShippedFoldTableIsFoundationsDecompositionWithoutMarks() {
        var expected: [UInt32: String] = [0x0110: "d", 0x0111: "d", 0x00D0: "d", 0x00F0: "d"]
        for range: ClosedRange<UInt32> in [0x00C0...0x024F, 0x1E00...0x1EFF] {
            for value in range where expected[value] == nil {
                guard let scalar = Unicode.Scalar(value), scalar.properties.generalCategory != .unassigned else { continue }
                let base = String(scalar).decomposedStringWithCanonicalMapping.unicodeScalars
                    .filter { $0.properties.generalCategory != .nonspacingMark }
                let folded = String(String.UnicodeScalarView(base)).lowercased()
                if folded != String(scalar) { expected[value] = folded }
            }
        }
        #expect(VietnameseText.foldTable == expected)
    }
}
