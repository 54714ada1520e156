import ArgumentParser
import Foundation

/// Options every `fieldsync` command takes, before or after the subcommand's name.
public struct GlobalOptions: ParsableArguments {
    /// Options with nothing given (ArgumentParser needs a public initialiser).
    public init() {}

    @Option(name: .long, help: ArgumentHelp("The field store file (default: $FIELDSYNC_STORE, else fieldsync/store.sqlite "
                                            + "in the user's data folder, $XDG_DATA_HOME or ~/.local/share).", valueName: "path"))
    public var store: String?

    /// The store path: the option, else `$FIELDSYNC_STORE`, else empty (then `Paths.store` gives the default).
    public var storePath: String {
        store ?? ProcessInfo.processInfo.environment["FIELDSYNC_STORE"] ?? ""
    }
}
