import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What identifies a household in its commune's list (issue 31), so a corrected list updates rather than duplicates:
/// the commune's own household code when it has one, else its village, its address normalised and its head's name
/// folded (without diacritics, case, punctuation or repeated spaces).
public enum HouseholdKey {
    /// The key of a household from its parts.
    public static func make(code: String?, village: String, houseNumber: String?, street: String?, head: String) -> String {
        if let code = code?.trimmingWhitespace, !code.isEmpty { return "code:" + normalised(code) }
        return "addr:" + [normalised(village), normalised([houseNumber ?? "", street ?? ""].joined(separator: " ")), normalised(head)]
            .joined(separator: "|")
    }

    /// A text folded, its punctuation turned to spaces and its spaces collapsed: `Số 12, ngõ 5` → `so 12 ngo 5`.
    public static func normalised(_ text: String) -> String {
        VietnameseText.fold(text).unicodeScalars.map { isLetterMarkOrNumber($0) ? String($0) : " " }.joined()
            .split(separator: " ").joined(separator: " ")
    }

    /// A letter, mark or number (Unicode categories L, M, N: what Foundation's `CharacterSet.alphanumerics` holds).
    private static func isLetterMarkOrNumber(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .letterNumber, .otherNumber: true
        default: false
        }
    }
}
