import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization

/// Options every `fieldsync` command takes, before or after the subcommand's name.
public struct GlobalOptions: ParsableArguments {
    /// Options with nothing given (ArgumentParser needs a public initialiser).
    public init() {}

    @Option(name: .long, help: ArgumentHelp(Catalogue.process["help.store"], valueName: "path"))
    public var store: String?

    @Option(name: .long, help: ArgumentHelp(Catalogue.process["help.lang"], valueName: "vi|en"),
            transform: { text in
                guard Language(code: text) != nil else { throw ValidationError(LanguageError(given: text).description) }
                return text
            })
    public var lang: String?

    /// The store path: the option, else `$FIELDSYNC_STORE`, else empty (then `Paths.store` gives the default).
    public var storePath: String {
        store ?? ProcessInfo.processInfo.environment["FIELDSYNC_STORE"] ?? ""
    }
}
