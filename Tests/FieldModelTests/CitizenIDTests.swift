import FieldModel
import Foundation
import Testing

@Suite struct CitizenIDTests {
    // 2026-06-01: birth years up to 2026 are possible.
    let now = Date(timeIntervalSince1970: 1_780_272_000)

    @Test(arguments: [
        ("001203012345", "********2345", 2003),  // Hà Nội, 2000s male
        ("079190123456", "********3456", 1990),  // TP HCM, 1900s female
        ("096326000001", "********0001", 2026),  // Cà Mau, born this year
        ("101085000001", "********0001", 1985),  // first country code
        ("295185000001", "********0001", 1985),  // last country code, 1900s female
        ("001 2 03 012345", "********2345", 2003),  // spaces as on the card
    ])
    func acceptsWellFormedNumbers(input: String, masked: String, year: Int) throws {
        let id = try CitizenID(validating: input, now: now)
        #expect(id.masked == masked)
        #expect(id.digits.count == 12)
        #expect(id.birthYear == year)
    }

    @Test(arguments: [
        ("00120301234", InputError.citizenIDLength(given: "00120301234", digits: 11)),
        ("0012030123456", .citizenIDLength(given: "0012030123456", digits: 13)),
        ("", .citizenIDLength(given: "", digits: 0)),
        ("00120301234a", .citizenIDNotDigits(given: "00120301234a")),
        ("００１２０３０１２３４５", .citizenIDNotDigits(given: "００１２０３０１２３４５")),  // full-width digits
        ("003203012345", .citizenIDPlace(given: "003203012345", code: "003")),  // 003 was never a province
        ("097203012345", .citizenIDPlace(given: "097203012345", code: "097")),
        ("296203012345", .citizenIDPlace(given: "296203012345", code: "296")),
        ("100203012345", .citizenIDPlace(given: "100203012345", code: "100")),
        ("001403012345", .citizenIDCentury(given: "001403012345", digit: "4", birthYear: 2103)),  // 2100s
        ("001903012345", .citizenIDCentury(given: "001903012345", digit: "9", birthYear: 2303)),
        ("001299012345", .citizenIDCentury(given: "001299012345", digit: "2", birthYear: 2099)),  // 2099 not yet
    ])
    func rejectsMalformedNumbers(input: String, expected: InputError) {
        #expect(throws: expected) { try CitizenID(validating: input, now: now) }
    }

    @Test func theSixtyThreeOldProvinceCodesAreKnown() {
        #expect(CitizenID.provinceCodes.count == 63)
        #expect(CitizenID.provinceCodes.contains("001") && CitizenID.provinceCodes.contains("096"))
    }

    @Test func errorMessagesSayWhatToDo() {
        let message = InputError.citizenIDCentury(given: "001403012345", digit: "4", birthYear: 2103).description
        #expect(message.contains("2103") && message.contains("future") && message.contains("check the card"))
    }
}

/// The forms a protected citizen ID's keyed hash may take, and team codes: read as bytes, exactly.
@Suite struct IdentifierFormTests {
    static let hex96 = String(repeating: "0123456789abcdef", count: 6)

    @Test(arguments: [
        ("p1." + hex96, true), ("p123456." + hex96, true), ("p42." + hex96, true), (String(repeating: "ab", count: 32), true),
        ("p0." + hex96, false), ("p01." + hex96, false), ("p1234567." + hex96, false), ("p." + hex96, false), ("p1" + hex96, false),
        ("p+5." + hex96, false), ("p-1." + hex96, false), ("p1." + hex96.dropLast(), false), ("p1." + hex96 + "0", false),
        ("p1." + hex96.uppercased(), false), ("p1.." + hex96.dropFirst(), false), ("p١." + hex96, false),
        (String(repeating: "ab", count: 31), false), (String(repeating: "AB", count: 32), false), ("", false), ("p", false),
    ])
    func keyedHashForms(text: String, valid: Bool) {
        #expect(ProtectedCitizenID.isMatchForm(text) == valid, "\(text)")
    }

    @Test(arguments: [("T-01", true), ("t_2", true), (String(repeating: "a", count: 32), true), ("", false),
                      (String(repeating: "a", count: 33), false), ("T 01", false), ("Tổ-01", false), ("T-01\n", false), ("T/01", false)])
    func teamCodes(text: String, valid: Bool) {
        #expect(((try? TeamCode.validate(text)) != nil) == valid, "\(text)")
    }
}
