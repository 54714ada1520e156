import FieldModel
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        ("0971234567", "0971234567"),
        ("+84 97 123 4567", "0971234567"),
        ("+84971234567", "0971234567"),
        ("84971234567", "0971234567"),
        ("097.123.4567", "0971234567"),
        ("097-123-4567", "0971234567"),
        ("(+84) 32 999 8888", "0329998888"),
        ("0561234567", "0561234567"),
        ("+84 (0) 97 123 4567", "0971234567"),  // the trunk 0 kept after the country code
        ("0084 97 123 4567", "0971234567"),
        ("024 3825 1234", "02438251234"),  // a Hà Nội landline
        ("+84 (0)28 3829 5555", "02838295555"),  // a Hồ Chí Minh City landline
    ])
    func normalises(input: String, digits: String) throws {
        let phone = try PhoneNumber(validating: input)
        #expect(phone.digits == digits)
        #expect(phone.warning == nil)
    }

    @Test(arguments: ["0301234567", "0501234567", "0951234567", "0711234567"])
    func warnsButKeepsUnknownPrefixes(input: String) throws {
        let phone = try PhoneNumber(validating: input)
        #expect(phone.digits == input)
        #expect(phone.warning?.contains(String(input.prefix(3))) == true)
    }

    @Test(arguments: [
        ("01621234567", "0321234567"),  // Viettel 0162 → 032
        ("0123 456 7890", "0834567890"),  // VinaPhone 0123 → 083
        ("+84 121 234 5678", "0792345678"),  // MobiFone 0121 → 079
    ])
    func rejectsOldElevenDigitNumbersWithTheNewOne(input: String, suggestion: String) {
        #expect(throws: InputError.phoneOldElevenDigits(given: input, suggestion: suggestion)) {
            try PhoneNumber(validating: input)
        }
    }

    @Test(arguments: ["0271234567", "0171234567", "097123456", "09712345678", "abc", "", "+1 650 555 1234", "1971234567"])
    func rejectsNonMobileNumbers(input: String) {
        #expect(throws: InputError.phoneMalformed(given: input)) { try PhoneNumber(validating: input) }
    }
}
