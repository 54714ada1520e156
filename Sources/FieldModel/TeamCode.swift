/// Validation of the short codes that name teams.
public enum TeamCode {
    /// Checks a team code: 1–32 ASCII letters, digits, '-' or '_'.
    /// - Throws: `InputError.teamMalformed`.
    public static func validate(_ text: String) throws(InputError) -> String {
        // ASCII letters, digits, - and _ (read as bytes: no Unicode look-ups for a code checked on every visit received).
        let ok = (1...32).contains(text.utf8.count) && text.utf8.allSatisfy { byte in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x2D || byte == 0x5F
        }
        guard ok else { throw .teamMalformed(given: text) }
        return text
    }
}
