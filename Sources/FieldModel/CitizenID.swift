#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A validated 12-digit citizen ID number (CCCD): `PPP G YY RRRRRR`.
///
/// `PPP` is the place of birth registration (one of the 63 pre-2025 province codes, still valid on
/// existing cards, or a country code 101–295), `G` the century and sex, `YY` the birth year, then six
/// random digits. There is no check digit, so the CLI echoes the masked form back.
public struct CitizenID: Hashable, Sendable, CustomStringConvertible {
    /// The 12 digits.
    public let digits: String

    /// The 63 province codes in use before July 2025 (three-digit form), valid on existing cards.
    public static let provinceCodes: Set<String> = Set([
        1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33, 34, 35, 36, 37, 38,
        40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62, 64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80,
        82, 83, 84, 86, 87, 89, 91, 92, 93, 94, 95, 96,
    ].map { code in code < 10 ? "00\(code)" : "0\(code)" })

    /// Validates a typed number (spaces are ignored).
    /// - Parameter now: the date the birth year is checked against.
    /// - Throws: `InputError` saying which part is wrong.
    public init(validating text: String, now: Date = Date()) throws(InputError) {
        let compact = text.filter { $0 != " " }
        guard compact.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .citizenIDNotDigits(given: text) }
        guard compact.count == 12 else { throw .citizenIDLength(given: text, digits: compact.count) }
        let bytes = Array(compact.utf8).map { Int($0 - UInt8(ascii: "0")) }
        let place = String(compact.prefix(3))
        let placeNumber = bytes[0] * 100 + bytes[1] * 10 + bytes[2]
        guard Self.provinceCodes.contains(place) || (101...295).contains(placeNumber) else {
            throw .citizenIDPlace(given: text, code: place)
        }
        let century = 1900 + (bytes[3] / 2) * 100
        let birthYear = century + bytes[4] * 10 + bytes[5]
        let thisYear = Calendar(identifier: .gregorian).component(.year, from: now)
        guard birthYear <= thisYear else {
            throw .citizenIDCentury(given: text, digit: compact[compact.index(compact.startIndex, offsetBy: 3)], birthYear: birthYear)
        }
        self.digits = compact
    }

    /// The year of birth the number encodes.
    public var birthYear: Int {
        let bytes = Array(digits.utf8).map { Int($0 - UInt8(ascii: "0")) }
        return 1900 + (bytes[3] / 2) * 100 + bytes[4] * 10 + bytes[5]
    }

    /// The form safe to show and to send to the hub: the last four digits, enough for a volunteer to
    /// tell two citizens of one household apart (Protocol/THREATS.md counts what it gives away).
    public var masked: String { "********" + String(digits.suffix(4)) }

    public var description: String { masked }
}
