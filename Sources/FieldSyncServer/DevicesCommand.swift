import ArgumentParser
import Foundation
import HubStore

/// `fieldsync-server devices list|revoke`.
struct DevicesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List enrolled devices, or revoke one's token.",
        subcommands: [List.self, Revoke.self])

    /// `devices list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List enrolled devices.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite devices list --json
                """)
        @OptionGroup var global: HubOptions
        @Flag(help: "Print JSON.") var json = false

        func run() throws {
            let devices = try HubStore(path: global.path).devices()
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                print(String(decoding: try encoder.encode(devices), as: UTF8.self))
                return
            }
            print(Table.render(["DEVICE", "ROLE", "VOLUNTEER", "SCOPE", "ENROLLED", "LAST SYNC", "STATE"], devices.map { d in
                [d.id, d.role.rawValue, d.volunteer ?? "", d.scopeText, d.enrolledAt, d.lastSyncAt ?? "never",
                 d.revokedAt.map { "revoked \($0)" } ?? "active"]
            }), terminator: "")
        }
    }

    /// `devices revoke`.
    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a device's token: its requests are refused from now on.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite devices revoke d-1a2b3c4d5e6f
                """)
        @OptionGroup var global: HubOptions
        @Argument(help: "The device id (see devices list).") var device: String

        func run() throws {
            try HubStore(path: global.path).revoke(device: device)
            print("revoked \(device)")
        }
    }
}

/// Aligned text tables for the terminal.
enum Table {
    /// Columns padded to their widest cell.
    static func render(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { c in all.map { $0[c].count }.max() ?? 0 }
        return all.map { row in
            var line = zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line + "\n"
        }.joined()
    }
}
