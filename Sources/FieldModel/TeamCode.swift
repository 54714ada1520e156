/// Validation of the short codes that name teams.
public enum TeamCode {
    /// Checks a team code: 1–32 ASCII letters, digits, '-' or '_'.
    /// - Throws: `InputError.teamMalformed`.
    public static func validate(_ text: String) throws(InputError) -> String {
        let ok = (1...32).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
        guard ok else { throw .teamMalformed(given: text) }
        return text
    }
}
