#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The language people read: Vietnamese by default, English on request. The machine's locale is never
/// consulted (field laptops often carry `en_US`).
public enum Language: String, CaseIterable, Sendable, Codable {
    case vietnamese = "vi"
    case english = "en"

    /// `--lang` when given, else `FIELDSYNC_LANG`, else Vietnamese.
    /// - Throws: `LanguageError` for a value that is neither `vi` nor `en`.
    public static func chosen(_ option: String?,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws(LanguageError) -> Language {
        guard let text = option ?? environment["FIELDSYNC_LANG"].flatMap({ $0.isEmpty ? nil : $0 }) else { return .vietnamese }
        guard let language = Language(code: text) else { throw LanguageError(given: text) }
        return language
    }

    /// `vi`, `en` (any case, a region such as `vi-VN` allowed), or nil.
    public init?(code: String) {
        switch code.lowercased().prefix(2) {
        case "vi": self = .vietnamese
        case "en": self = .english
        default: return nil
        }
    }

    /// The language of this process's people-facing output: `--lang X` or `--lang=X` among the arguments,
    /// else `FIELDSYNC_LANG`, else Vietnamese (an unknown value reads as Vietnamese here; the option's
    /// own parsing reports it).
    public static let process: Language = {
        let arguments = CommandLine.arguments
        var option: String?
        for (i, argument) in arguments.enumerated() {
            if argument == "--lang", i + 1 < arguments.count { option = arguments[i + 1] }
            if argument.hasPrefix("--lang=") { option = String(argument.dropFirst(7)) }
        }
        return (try? chosen(option)) ?? .vietnamese // Losing the error is safe: `--lang`'s own parsing reports it.
    }()
}

/// A language that is neither Vietnamese nor English.
public struct LanguageError: Error, CustomStringConvertible, Sendable {
    /// What was given.
    public let given: String

    /// The error for a value that is not a language.
    public init(given: String) { self.given = given }
    public var description: String {
        "ngôn ngữ «\(given)» không có: dùng vi (tiếng Việt) hoặc en (English) / language «\(given)» is not available: use vi or en"
    }
}
