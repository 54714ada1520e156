import FieldModel
import Foundation
import Localization
import RecordKinds

/// Finds what should not be in text meant for people: in Vietnamese, the catalogue's English strings, codes
/// shown as data, `true`/`false` and UTC `…Z` times; in English, the catalogue's Vietnamese strings.
/// Names such as VNeID, OTP, CCCD and data (citizens', communes' names) are not strings of the catalogue.
public enum PeopleWords {
    /// What leaks into `text`, each with where it was found (empty: nothing).
    /// - Parameter codesAllowed: help texts document option values (`--outcome failed`): codes are fine there.
    public static func leaks(in text: String, language: Language, codesAllowed: Bool = false) -> [String] {
        var found: [String] = []
        // Usage lines name values in angle brackets (`<visit>`, `<hours>`): syntax, not words; ArgumentParser's own
        // `--version` and `--help` lines are English on purpose.
        let text = codesAllowed
            ? text.replacingOccurrences(of: #"<[a-z\-]+>"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: "Show the version.", with: "").replacingOccurrences(of: "Show help information.", with: "")
            : text
        let other = language == .vietnamese ? Catalogue(.english) : Catalogue(.vietnamese)
        let own = Catalogue(language)
        for (key, value) in other.table where !kept.contains(key) && value.count >= 4 && own.table[key] != value {
            // Vietnamese words alone may be part of a name (Xã Trường Sơn): English text is checked for phrases.
            for phrase in phrases(of: value) where !ownPhrases(own).contains(phrase) && (language == .vietnamese || phrase.contains(" "))
                && contains(text, word: phrase) {
                found.append("«\(phrase)» (\(key))")
            }
        }
        // The visit's fields and options are labelled by its kind document, not the catalogue.
        if let visit = try? RecordKind.builtIn("visit") {  // Losing the error is safe: RecordKindsTests fails when it does not load.
            let labels = visit.fields.flatMap { [$0.labels] + ($0.options ?? []).map(\.labels) }
            for pair in labels where pair.vi != pair.en {
                let (theirs, ours) = language == .vietnamese ? (pair.en, pair.vi) : (pair.vi, pair.en)
                for phrase in phrases(of: theirs) where phrase != ours && (language == .vietnamese || phrase.contains(" "))
                    && contains(text, word: phrase) {
                    found.append("«\(phrase)» (visit kind)")
                }
            }
        }
        guard language == .vietnamese else { return found }
        // Help written in English in the code and translated line by line: the start of each English line must not show.
        for (english, vietnamese) in Catalogue.helpVietnamese where english.split(separator: " ").count >= 3 {
            let start = english.split(separator: " ").prefix(3).joined(separator: " ")
            if !vietnamese.hasPrefix(start) && contains(text, word: start) { found.append("help «\(start)…»") }
        }
        if !codesAllowed {
            let codes = Service.allCases.map(\.rawValue) + Outcome.allCases.map(\.rawValue) + FailureReason.allCases.map(\.rawValue)
            for code in Set(codes) where contains(text, word: code) { found.append("code «\(code)»") }
        }
        for word in ["true", "false"] where contains(text, word: word) { found.append("«\(word)»") }
        if let range = text.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z"#, options: .regularExpression) {
            found.append("UTC time «\(text[range])»")
        }
        return found
    }

    /// Keys whose text is the same kind of thing in both languages, or names the other language on purpose.
    static let kept: Set<String> = ["lang", "other_lang", "other_lang_name", "service.mobile-money", "col.cccd", "field.cccd"]

    /// The parts of a catalogue text that must not appear: the text cut at its placeholders, each part of 2 words or more
    /// (or one word of 5 letters or more).
    static func phrases(of value: String) -> [String] {
        value.components(separatedBy: CharacterSet(charactersIn: "%")).enumerated().map { n, part in
            n == 0 ? part : String(part.drop { $0.isNumber })
        }.map { $0.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters).union(.symbols)) }
            .filter { part in
                let words = part.split(separator: " ")
                // Commands and options (`fieldsync edit`, `--commune`) are the same in every language.
                return (words.count >= 2 || part.count >= 5) && part.contains { $0.isLetter }
                    && !names.contains { part == $0 } && !part.contains("fieldsync") && !part.contains("--") && !part.contains("`")
            }
    }

    static let names: Set<String> = ["VNeID", "FieldSync", "CCCD", "Mobile Money", "English", "OTP"]

    static func ownPhrases(_ own: Catalogue) -> Set<String> { Set(own.table.values) }

    /// Whether `word` appears in `text` not as part of a longer word (or an option such as `--note`).
    static func contains(_ text: String, word: String) -> Bool {
        var start = text.startIndex
        while let range = text.range(of: word, range: start..<text.endIndex) {
            let before = range.lowerBound == text.startIndex ? nil : text[text.index(before: range.lowerBound)]
            let after = range.upperBound == text.endIndex ? nil : text[range.upperBound]
            func joins(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "/" } ?? false }
            // A file name (`visits.csv`) is a name, not a word: a dot followed by a letter joins.
            let fileName = after == "." && text.index(after: range.upperBound) < text.endIndex
                && text[text.index(after: range.upperBound)].isLetter
            if !joins(before) && !joins(after) && !fileName { return true }
            start = range.upperBound
        }
        return false
    }
}
