import ArgumentParser
import FieldStore

/// Resolves the store path from the options given before or after the subcommand.
public enum Paths {
    /// The store path, or `StoreError.noStorePath`.
    public static func store(_ options: GlobalOptions...) throws -> String {
        for option in options where !option.storePath.isEmpty { return option.storePath }
        throw StoreError.noStorePath
    }
}
