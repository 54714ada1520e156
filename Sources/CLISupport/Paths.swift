import ArgumentParser
import FieldStore
import Platform
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Resolves the store path from the options given before or after the subcommand.
public enum Paths {
    /// The store path given, or the default one in the user's data folder (created, private, when missing).
    public static func store(_ options: GlobalOptions...) throws -> String {
        for option in options where !option.storePath.isEmpty { return option.storePath }
        let path = try defaultStore()
        let folder = FilePaths.folder(of: path)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        return path
    }

    /// `$XDG_DATA_HOME/fieldsync/store.sqlite`, or `~/.local/share/fieldsync/store.sqlite`.
    public static func defaultStore() throws -> String {
        let environment = ProcessInfo.processInfo.environment
        if let data = environment["XDG_DATA_HOME"], data.hasPrefix("/") { return data + "/fieldsync/store.sqlite" }
        guard let home = environment["HOME"], !home.isEmpty else { throw StoreError.noStorePath }
        return home + "/.local/share/fieldsync/store.sqlite"
    }
}
