#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform

/// `fieldsync enroll`, `sync`, `bundle`, `peer`, `app` and `update` run in `fieldsync-network`, installed beside `fieldsync`:
/// only they load the HTTP stack, so everyday offline commands start fast.
public enum NetworkHandoff {
    /// The subcommands `fieldsync-network` implements.
    public static let commands: Set<String> = ["enroll", "sync", "bundle", "peer", "app", "update"]

    /// The subcommand named in `fieldsync`'s arguments (after any global options).
    public static func subcommand(in arguments: [String]) -> String? { subcommandIndex(in: arguments).map { arguments[$0] } }

    /// Where the subcommand is in `fieldsync`'s arguments: the first that is not a global option (`--store PATH`,
    /// `--lang vi|en`, a flag) or its value.
    public static func subcommandIndex(in arguments: [String]) -> Int? {
        var index = 1
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--store" || argument == "--lang" { index += 2; continue }
            if argument.hasPrefix("-") { index += 1; continue }
            return index
        }
        return nil
    }

    /// Replaces this process with `fieldsync-network` and the same arguments; returns a reason only if it cannot.
    public static func exec(_ arguments: [String]) -> String {
        let me = ProcessImage.currentExecutable(fallback: arguments[0])
        let helper = ProcessInfo.processInfo.environment["FIELDSYNC_NETWORK_BIN"]
            ?? URL(fileURLWithPath: me).deletingLastPathComponent().appendingPathComponent("fieldsync-network").path
        guard FileManager.default.isExecutableFile(atPath: helper) else {
            return "fieldsync-network is missing beside fieldsync (\(helper)): install both programs together"
        }
        return "could not start \(helper): \(ProcessImage.exec(helper, [helper] + arguments.dropFirst()))"
    }
}
