import ArgumentParser
import Foundation
import HubCore
import HubSQLite
import Localization
import SyncProtocol
import TextSafety

/// `fieldsync-server enrollment-code`: issues a one-time code for a laptop or a coordinator.
struct EnrollmentCodeCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "enrollment-code",
        abstract: Catalogue.process.helpText("Print a one-time enrolment code for a volunteer's laptop or a coordinator."),
        discussion: Catalogue.process.helpText("""
            A volunteer's code needs --team and --commune. A coordinator's code takes --commune, --province, \
            or neither (the whole country). The hub keeps only a hash of the code.

            Example:
              fieldsync-server --db hub.sqlite enrollment-code --team T-00004-01 \\
                  --commune 00004
              fieldsync-server --db hub.sqlite enrollment-code --role coordinator \\
                  --province 01 --expires 2d
            """))
    }

    @OptionGroup var global: HubOptions
    @Option(help: ArgumentHelp(Catalogue.process.helpText("The team's code."))) var team: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("The commune's 5-digit code."))) var commune: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("The province's 2-digit code (coordinators)."))) var province: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("volunteer or coordinator."))) var role: String = "volunteer"
    @Option(help: ArgumentHelp(Catalogue.process.helpText("How long the code stays valid: e.g. 12h, 7d."))) var expires = "7d"

    func run() async throws {
        guard let role = Role(rawValue: role) else {
            throw ServerInputError("unknown role \(SafeText.quote(role)): use volunteer or coordinator")
        }
        if commune != nil && province != nil {
            throw ServerInputError("give --commune or --province, not both: a commune's code already names its province")
        }
        if role == .volunteer && province != nil {
            throw ServerInputError("a volunteer's code needs --team and --commune, not --province")
        }
        if role == .coordinator && team != nil {
            throw ServerInputError("a coordinator's code takes no --team: coordinators read a commune, a province or the country")
        }
        let scope = Scope(team: team, commune: commune, province: province)
        let validFor = try Duration.parse(expires)
        print(try await global.withStorage { try await $0.createEnrollmentCode(role: role, scope: scope, validFor: validFor) })
        try await global.audit(.enrol, scope: Device.text(of: scope), detail: ["code": "issued", "role": role.rawValue])
    }
}

/// A bad option value given to `fieldsync-server`.
struct ServerInputError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Durations written like `30m`, `12h` or `7d`.
enum Duration {
    /// Seconds in a duration text.
    static func parse(_ text: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        guard let unit = text.last.flatMap({ units[$0] }), let amount = Double(text.dropLast()), amount > 0 else {
            throw ServerInputError("duration \(SafeText.quote(text)) must be a number and a unit: 30m, 12h, 7d")
        }
        return amount * unit
    }
}
