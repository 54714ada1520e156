/// Trimming and normalising without the Foundation APIs that live outside FoundationEssentials (`trimmingCharacters(in:)`,
/// `precomposedStringWithCanonicalMapping`): the laptop's `fieldsync` links FoundationEssentials only (no ICU), for its
/// start-up time (issue 34).
extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    public var trimmingWhitespace: String {
        let start = drop(while: \.isWhitespace)
        guard let last = start.lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(start[...last])
    }
}

extension String {
    /// The text in Unicode's composed form (NFC), by the standard library's normalisation (the one `String` equality uses).
    public var composedNFC: String { String(decoding: _nfcCodeUnits, as: UTF8.self) }
}

extension String {
    /// The text followed by spaces up to `width` characters (as it is when already that long).
    public func padded(to width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
