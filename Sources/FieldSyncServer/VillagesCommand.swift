import ArgumentParser
import Foundation
import HubCore
import SyncProtocol
import TextSafety

/// `fieldsync-server villages`: a commune's villages and residential groups (thôn, tổ dân phố) and the team covering
/// each (issue 31); the console's "Thôn, tổ" page does the same for a commune's coordinator.
struct VillagesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "villages",
        abstract: "A commune's villages and residential groups, and the team that covers each: list, add, assign, remove.",
        discussion: """
            Example:
              fieldsync-server --db hub.sqlite villages add --commune 00004 --name "Tổ dân phố số 5" --code TDP05 --team T-01
              fieldsync-server --db hub.sqlite villages assign --commune 00004 "to dan pho so 5" --team T-02
            """,
        subcommands: [List.self, Add.self, Assign.self, Remove.self])

    /// `villages list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the villages of a commune (or of every commune).")
        @OptionGroup var global: HubOptions
        @Option(help: "Only this commune (5 digits).") var commune: String?

        func run() async throws {
            let scope = Scope(commune: commune)
            let villages = try await global.withStorage(readOnly: true) { try await $0.villages(in: scope) }
            guard !villages.isEmpty else { return print("no village yet: `villages add --commune … --name …`") }
            for village in villages {
                print("\(village.commune)  \(SafeText.terminal(village.name))\(village.code.map { " [\($0)]" } ?? "")  "
                      + (village.team.map { "team \($0)" } ?? "no team yet"))
            }
        }
    }

    /// `villages add`.
    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a village (or update the one with the same code, else name).")
        @OptionGroup var global: HubOptions
        @Option(help: "The commune (5 digits or its name).") var commune: String
        @Option(help: "The village's name (Thôn Đông, Tổ dân phố số 5, …).") var name: String
        @Option(help: "The commune's own code for it, if it has one.") var code: String?
        @Option(help: "The team that covers it.") var team: String?
        @Option(help: "Who adds it (in the audit log).") var by = "operator"

        func run() async throws {
            let village = Village(commune: commune, name: name, code: code, team: team)
            let by = self.by
            let saved = try await global.withStorage { try await $0.saveVillage(village, scope: Scope(), by: by) }
            print("saved \(SafeText.terminal(saved.name)) in commune \(saved.commune)" + (saved.team.map { ", covered by team \($0)" } ?? ""))
        }
    }

    /// `villages assign`.
    struct Assign: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a village to a team (--team \"\" leaves it to none).")
        @OptionGroup var global: HubOptions
        @Option(help: "The commune (5 digits).") var commune: String
        @Argument(help: "The village: its code, or its name (diacritics optional).") var village: String
        @Option(help: "The team that covers it from now on.") var team: String
        @Option(help: "Who assigns it (in the audit log).") var by = "operator"

        func run() async throws {
            let (commune, text, team, by) = (self.commune, village, self.team, self.by)
            let saved = try await global.withStorage { storage in
                var found = try await storage.village(named: text, commune: commune, scope: Scope())
                found.team = team.isEmpty ? nil : team
                return try await storage.saveVillage(found, scope: Scope(), by: by)
            }
            print("\(SafeText.terminal(saved.name)): " + (saved.team.map { "covered by team \($0)" } ?? "no team"))
        }
    }

    /// `villages remove`.
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a village from its commune's list.")
        @OptionGroup var global: HubOptions
        @Option(help: "The commune (5 digits).") var commune: String
        @Argument(help: "The village: its code, or its name (diacritics optional).") var village: String
        @Option(help: "Who removes it (in the audit log).") var by = "operator"

        func run() async throws {
            let (commune, text, by) = (self.commune, village, self.by)
            let removed = try await global.withStorage { storage in
                let found = try await storage.village(named: text, commune: commune, scope: Scope())
                try await storage.removeVillage(found, scope: Scope(), by: by)
                return found
            }
            print("removed \(SafeText.terminal(removed.name)) from commune \(removed.commune)")
        }
    }
}
