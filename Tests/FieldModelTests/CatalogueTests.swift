import FieldModel
import Testing

@Suite struct CatalogueTests {
    let catalogue = CommuneCatalogue.shared

    @Test func shipsThe2025Catalogue() {
        #expect(catalogue.provinces.count == 34)
        #expect(catalogue.communes.count == 3_321)
        #expect(catalogue.commune("00004")?.name == "Phường Ba Đình")
        #expect(catalogue.commune("00004")?.provinceName == "Thành phố Hà Nội")
    }

    @Test func acceptsCurrentCodes() throws {
        #expect(try catalogue.validate("00004").code == "00004")
        #expect(try catalogue.validate(" 00004 ").code == "00004")
    }

    @Test(arguments: ["4", "0004", "000004", "0000a", "", "00 04"])
    func rejectsMalformedCodes(input: String) {
        #expect(throws: InputError.communeMalformed(given: input)) { try catalogue.validate(input) }
    }

    @Test func namesTheNewCommuneForAMergedOldCode() throws {
        // 00013 (Phường Quán Thánh) went wholly into 00004 (Phường Ba Đình) on 1 July 2025.
        #expect(catalogue.commune("00013") == nil)
        do {
            _ = try catalogue.validate("00013")
            Issue.record("an old code must be rejected")
        } catch {
            guard case .communeReplaced(let code, let successors) = error else {
                Issue.record("expected communeReplaced, got \(error)")
                return
            }
            #expect(code == "00013")
            #expect(successors.contains { $0.hasPrefix("00004") })
        }
    }

    @Test func rejectsCodesThatNeverExisted() {
        #expect(throws: InputError.communeUnknown(code: "99999")) { try catalogue.validate("99999") }
    }
}
