import ArgumentParser
import Foundation
import HubReports
import HubCore
import HubSQLite

/// `fieldsync-server devices list|revoke`.
struct DevicesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "devices",
        abstract: "List enrolled devices, or revoke one's token.",
        subcommands: [List.self, Revoke.self])

    /// `devices list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List enrolled devices.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite devices list --json
                """)
        @OptionGroup var global: HubOptions
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let devices = try await global.withStorage { try await $0.devices() }
            if json { return try printJSON(devices) }
            let section = ReportDocument.Section(
                title: "Devices",
                columns: ["Device", "Role", "Volunteer", "Scope", "Enrolled", "Last sync", "State"].map { ReportDocument.Column($0) },
                rows: devices.map { d in
                    [d.id, d.role.rawValue, d.volunteer ?? "", d.scopeText, d.enrolledAt, d.lastSyncAt ?? "never",
                     d.revokedAt.map { "revoked \($0)" } ?? "active"]
                })
            print(ReportDocument(title: "Enrolled devices", subtitle: global.storeName, summary: [], sections: [section]).table(),
                  terminator: "")
        }
    }

    /// `devices revoke`.
    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a device's token: its requests are refused from now on.",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite devices revoke d-1a2b3c4d5e6f
                """)
        @OptionGroup var global: HubOptions
        @Argument(help: "The device id (see devices list).") var device: String

        func run() async throws {
            let device = self.device
            try await global.withStorage { try await $0.revoke(device: device) }
            try await global.audit(.revoke, scope: device)
            print("revoked \(device)")
        }
    }
}
