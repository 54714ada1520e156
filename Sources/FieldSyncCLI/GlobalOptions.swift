import ArgumentParser
import Foundation

/// Options every `fieldsync` command takes, before or after the subcommand's name.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The field store file (default: $FIELDSYNC_STORE).", valueName: "path"))
    var store: String?

    /// The store path: the option, else `$FIELDSYNC_STORE`, else empty (the store reports it missing).
    var storePath: String {
        store ?? ProcessInfo.processInfo.environment["FIELDSYNC_STORE"] ?? ""
    }
}
