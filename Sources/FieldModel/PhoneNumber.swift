/// A Vietnamese phone number: a mobile normalised to 10 digits `0XXXXXXXXX`, or a landline to 11 (`02…`).
///
/// `+84`, `84`, spaces, dots and dashes are accepted on input. A prefix no carrier is known to use
/// gives a warning, not an error: numbers can be ported, so a prefix proves nothing about the carrier.
public struct PhoneNumber: Hashable, Sendable, CustomStringConvertible {
    /// The 10 digits.
    public let digits: String

    /// Three-digit prefixes in use by Vietnamese mobile carriers (2025).
    public static let knownPrefixes: Set<String> = [
        "032", "033", "034", "035", "036", "037", "038", "039",  // Viettel
        "052", "055", "056", "058", "059",  // Vietnamobile, Reddi, Gmobile
        "070", "076", "077", "078", "079",  // MobiFone
        "081", "082", "083", "084", "085", "086", "087", "088", "089",
        "090", "091", "092", "093", "094", "096", "097", "098", "099",
    ]

    /// The 2018 conversion of 11-digit numbers: old four-digit prefix → new three-digit prefix.
    static let convertedPrefixes: [String: String] = [
        "0162": "032", "0163": "033", "0164": "034", "0165": "035", "0166": "036", "0167": "037",
        "0168": "038", "0169": "039", "0120": "070", "0121": "079", "0122": "077", "0126": "076",
        "0128": "078", "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
        "0186": "056", "0188": "058", "0199": "059",
    ]

    /// Normalises and validates a typed number.
    /// - Throws: `InputError.phoneMalformed`, or `.phoneOldElevenDigits` with the converted number.
    public init(validating text: String) throws(InputError) {
        // Already normalised (every stored and replicated number): accepted without rewriting.
        let utf8 = text.utf8
        if utf8.allSatisfy({ (48...57).contains($0) }), utf8.first == UInt8(ascii: "0"), let second = utf8.dropFirst().first,
           (utf8.count == 10 && "35789".utf8.contains(second)) || (utf8.count == 11 && second == UInt8(ascii: "2")) {
            digits = text
            return
        }
        var compact = text.filter { !" .-()\u{00A0}".contains($0) }
        // `+84 (0) 97…`: the trunk 0 written after the country code is dropped with it.
        if compact.hasPrefix("+84") {
            compact = "0" + compact.dropFirst(3).drop { $0 == "0" }
        } else if compact.hasPrefix("0084") {
            compact = "0" + compact.dropFirst(4).drop { $0 == "0" }
        } else if compact.hasPrefix("84"), compact.count == 11 || compact.count == 12 {
            compact = "0" + compact.dropFirst(2)
        }
        guard compact.allSatisfy({ $0.isASCII && $0.isNumber }) else { throw .phoneMalformed(given: text) }
        if compact.count == 11, compact.hasPrefix("01") {
            let suggestion = Self.convertedPrefixes[String(compact.prefix(4))].map { $0 + compact.dropFirst(4) }
            throw .phoneOldElevenDigits(given: text, suggestion: suggestion)
        }
        // Landlines since 2017: 0 + a 2-digit area code starting with 2 + 8 digits (e.g. 024 3825 1234).
        let landline = compact.count == 11 && compact.hasPrefix("02")
        let mobile = compact.count == 10 && compact.first == "0" && compact.dropFirst().first.map { "35789".contains($0) } == true
        guard landline || mobile else { throw .phoneMalformed(given: text) }
        digits = compact
    }

    /// Whether it is a landline (11 digits, 02…), not a mobile number.
    public var isLandline: Bool { digits.count == 11 }

    /// A note for the volunteer when no carrier is known to use the prefix (the number is kept).
    public var warning: String? {
        isLandline || Self.knownPrefixes.contains(String(digits.prefix(3))) ? nil
            : "phone \(digits): no carrier is known to use prefix \(digits.prefix(3)); check the number with the citizen"
    }

    public var description: String { digits }
}
