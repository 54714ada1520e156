import FieldModel

extension PhoneNumber {
    /// `warning` in the catalogue's language.
    public func localizedWarning(_ t: Catalogue) -> String? {
        guard let warning else { return nil }
        return t.error(warning, "input.phone_prefix", description, String(description.prefix(3)))
    }
}
