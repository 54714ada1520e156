import ArgumentParser
import FieldModel
import Foundation
import HubReports
import HubCore
import HubSQLite
import Localization
import SyncProtocol

/// `fieldsync-server devices list|revoke`.
struct DevicesCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "devices",
        abstract: Catalogue.process.helpText("List enrolled devices, or revoke one's token."),
        subcommands: [List.self, Revoke.self])
    }

    /// `devices list`.
    struct List: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("List enrolled devices."),
            discussion: Catalogue.process.helpText("""
                Example:
                  fieldsync-server --db hub.sqlite devices list --json
                """))
        }
        @OptionGroup var global: HubOptions
        @Flag(help: ArgumentHelp(Catalogue.process.helpText("Print JSON."))) var json = false

        /// A device's area in words: `Phường Ba Đình (00004), tổ T-00004-01`.
        static func area(_ scope: Scope, _ t: Catalogue) -> String {
            if let commune = scope.commune {
                let place = "\(CommuneCatalogue.shared.commune(commune)?.name ?? commune) (\(commune))"
                return scope.team.map { place + ", " + t["col.team"].lowercased() + " " + $0 } ?? place
            }
            if let province = scope.province { return "\(CommuneCatalogue.shared.provinces[province] ?? province) (\(province))" }
            return t["period.whole_country"]
        }

        func run() async throws {
            let devices = try await global.withStorage { try await $0.devices() }
            if json { return try printJSON(devices) }
            let t = try global.catalogue
            let section = ReportDocument.Section(
                title: t["devices.title"],
                columns: ["col.volunteer", "col.role", "devices.area", "devices.enrolled", "devices.last_sync", "devices.state", "devices.id"]
                    .map { ReportDocument.Column(t[$0]) },
                rows: devices.map { d in
                    [d.volunteer ?? t["unnamed_device"], t.role(d.role.rawValue), Self.area(d.scope, t), t.time(d.enrolledAt),
                     d.lastSyncAt.map(t.time) ?? t["never"],
                     d.revokedAt.map { t.format("devices.revoked_at", t.time($0)) } ?? t["devices.active"], d.id]
                })
            print(ReportDocument(title: t["devices.enrolled_title"], subtitle: global.storeName + " · " + t["times_in"], summary: [],
                                 sections: [section]).table(), terminator: "")
        }
    }

    /// `devices revoke`.
    struct Revoke: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("Revoke a device's token: its requests are refused from now on."),
            discussion: Catalogue.process.helpText("""
                Example:
                  fieldsync-server --db hub.sqlite devices revoke d-1a2b3c4d5e6f
                """))
        }
        @OptionGroup var global: HubOptions
        @Argument(help: ArgumentHelp(Catalogue.process.helpText("The device id (see devices list)."))) var device: String

        func run() async throws {
            let device = self.device
            try await global.withStorage { try await $0.revoke(device: device) }
            try await global.audit(.revoke, scope: device)
            print(try global.catalogue.format("devices.revoked_done", device))
        }
    }
}
