import Foundation
import Platform

/// `fieldsync enroll`, `sync`, `bundle`, `peer`, `app` and `update` run in `fieldsync-network`, installed beside `fieldsync`:
/// only they load the HTTP stack, so everyday offline commands start fast.
public enum NetworkHandoff {
    /// The subcommands `fieldsync-network` implements.
    public static let commands: Set<String> = ["enroll", "sync", "bundle", "peer", "app", "update"]

    /// The subcommand named in `fieldsync`'s arguments (after any global options).
    public static func subcommand(in arguments: [String]) -> String? {
        var rest = arguments.dropFirst()
        while let first = rest.first {
            if first == "--store" { rest = rest.dropFirst(2); continue }
            if first.hasPrefix("-") { rest = rest.dropFirst(); continue }
            return first
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
