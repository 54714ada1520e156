/// An error that tells a person what happened and what to do, in their language. English wording is the
/// error's own `description` (what logs and programs read too); other languages come from the catalogue.
public protocol PeopleMessage: Error, CustomStringConvertible {
    /// The message in the catalogue's language.
    func message(_ t: Catalogue) -> String
}

extension Catalogue {
    /// What a person reads for an error: its message in this language, or its description.
    public func message(for error: any Error) -> String {
        if let error = error as? any PeopleMessage { return error.message(self) }
        return "\(error)"
    }

    /// An error's text: English is the error's description, Vietnamese the catalogue's key with arguments.
    public func error(_ english: String, _ key: String, _ arguments: String...) -> String {
        guard language == .vietnamese else { return english }
        var text = Self.errorsVietnamese[key] ?? "⟦\(key)⟧"
        for (i, argument) in arguments.enumerated().reversed() { text = text.replacing("%\(i + 1)", with: argument) }
        return text
    }
}
