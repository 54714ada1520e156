import ArgumentParser
import CLISupport
import FieldModel
import FieldStore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Localization
import SyncCore
import TextSafety

/// `fieldsync household list|show|add`: the commune's households this laptop holds (issue 31).
struct HouseholdCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "household", abstract: Catalogue.process["help.household"],
                             subcommands: [List.self, Show.self, Add.self], defaultSubcommand: List.self)
    }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "list", abstract: Catalogue.process["help.household.list"])
        }
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Catalogue.process["help.household.village"])) var village: String?
        @Option(help: ArgumentHelp(Catalogue.process["help.household.find"])) var find: String?

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let t = Catalogue.process
            var households = try store.households()
            if let village {
                let folded = HouseholdKey.normalised(village)
                households = households.filter { HouseholdKey.normalised($0["village"]?.value.text ?? "") == folded }
            }
            if let find { households = FieldStore.households(households, matching: find) }
            guard !households.isEmpty else { return Console.note(t["household.none"]) }
            let visits = HouseholdCommand.visitCounts(try store.visits())
            let kind = try store.kind("household")
            func fieldLabel(_ name: String) -> String { kind.field(name).map { t.words($0.labels) } ?? name }
            var table = TextTable(["id", fieldLabel("village"), fieldLabel("houseNumber"), fieldLabel("street"), fieldLabel("head"),
                                   fieldLabel("adults"), t["household.visited_column"]], dropOrder: [3], cutColumn: 3)
            var adults = 0, visited = 0
            for household in households {
                let value = { (name: String) in household[name]?.value.text ?? "" }
                let count = visits[household.id] ?? 0
                adults += HouseholdCommand.adults(household)
                if count > 0 { visited += 1 }
                table.add([String(household.id.suffix(8)), value("village"), value("houseNumber"), value("street"), value("head"),
                           t.number(HouseholdCommand.adults(household)), t.number(count)])
            }
            print(table.render(width: SafeText.terminalWidth).text, terminator: "")
            Console.note(t.format("household.total", t.number(households.count), t.number(visited), t.number(adults)))
        }
    }

    struct Show: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "show", abstract: Catalogue.process["help.household.show"])
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.household.find"])) var household: String

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let t = Catalogue.process
            let found = try store.household(named: household)
            print(SafeText.terminal(SessionCommand.render(found, kind: try store.kind("household"), t), keepLineBreaks: true), terminator: "")
            let visits = try store.visits().filter { $0.visit.household == found.id }
            guard !visits.isEmpty else { return Console.note(t["household.no_visits"]) }
            print(t["household.visits"])
            for stored in visits {
                let visit = stored.visit
                print(SafeText.terminal("  \(visit.id.suffix(8))  \(t.time(visit.visitedAt))  \(visit.citizenName)  \(t.service(visit.service.rawValue)): "
                                        + t.outcome(visit.outcome.rawValue)))
            }
        }
    }

    struct Add: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "add", abstract: Catalogue.process["help.household.add"],
                                 discussion: Catalogue.process["help.example"] + """

                                   fieldsync household add --village "Thôn Đông" --house-number 14 --street "Ngõ 5" --head "Phạm Văn Bình" --adults 3
                                 """)
        }
        @OptionGroup var global: GlobalOptions
        @Option(help: ArgumentHelp(Catalogue.process["help.household.village"])) var village: String
        @Option(help: ArgumentHelp(Catalogue.process["help.household.house_number"])) var houseNumber: String?
        @Option(help: ArgumentHelp(Catalogue.process["help.household.street"])) var street: String?
        @Option(help: ArgumentHelp(Catalogue.process["help.household.head"])) var head: String
        @Option(help: ArgumentHelp(Catalogue.process["help.household.adults"])) var adults: String?
        @Option(help: ArgumentHelp(Catalogue.process["help.household.phone"])) var phone: String?
        @Option(help: ArgumentHelp(Catalogue.process["help.household.note"])) var note: String?

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            // The village as the laptop's list writes it, when a household of it is known (diacritics optional).
            let folded = HouseholdKey.normalised(village)
            let known = try store.households().compactMap { $0["village"]?.value.text }.first { HouseholdKey.normalised($0) == folded }
            let state = try store.addHousehold(HouseholdDraft(village: known ?? village, houseNumber: houseNumber, street: street, head: head,
                                                              phone: phone, adults: adults, note: note))
            Console.note(Catalogue.process.format("household.added", FieldStore.householdLine(state)))
            print(state.id)
        }
    }

    /// The adults a household declares.
    static func adults(_ household: RecordState) -> Int {
        if case .int(let n)? = household["adults"]?.value { return Int(clamping: n) }
        return 0
    }

    /// How many live visits each household had.
    static func visitCounts(_ visits: [StoredVisit]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for stored in visits where !stored.visit.deleted {
            if let household = stored.visit.household { counts[household, default: 0] += 1 }
        }
        return counts
    }
}
