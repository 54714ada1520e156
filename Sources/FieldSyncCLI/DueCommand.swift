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
import TextSafety

/// `fieldsync due`: the team's follow-ups due and overdue, nearest first; `due close` closes one by hand (issue 31).
struct DueCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "due", abstract: Catalogue.process["help.due"], subcommands: [List.self, Close.self],
                             defaultSubcommand: List.self)
    }

    struct List: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "list", abstract: Catalogue.process["help.due.list"])
        }
        @OptionGroup var global: GlobalOptions
        @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let t = Catalogue.process
            let due = try store.dueFollowUps()
            let today = VietnamTime.day(of: Date())
            func state(_ on: String) -> String {
                let day = VietnamTime.day(ofCanonical: on) ?? on
                return day < today ? "overdue" : day == today ? "today" : "upcoming"
            }
            if json {
                struct Line: Encodable { let visit, on, state, service, name: String; let household: String? }
                return try Console.printJSON(due.map {
                    Line(visit: $0.visit.id, on: $0.on, state: state($0.on), service: $0.visit.service.rawValue, name: $0.visit.citizenName,
                         household: $0.household.map(FieldStore.householdLine))
                })
            }
            guard !due.isEmpty else { return Console.note(t["due.none"]) }
            var table = TextTable(["id", t["due.when"], t["due.state"], t.field("name"), t.field("service"), t.field("reason"), t.field("household")],
                                  dropOrder: [5, 6], cutColumn: 6)
            for item in due {
                table.add([String(item.visit.id.suffix(8)), t.day(VietnamTime.day(ofCanonical: item.on) ?? item.on), t["due." + state(item.on)],
                           item.visit.citizenName, t.service(item.visit.service.rawValue), item.visit.reason.map { t.reason($0.rawValue) } ?? "",
                           item.household.map(FieldStore.householdLine) ?? ""])
            }
            print(table.render(width: SafeText.terminalWidth).text, terminator: "")
            let states = due.map { state($0.on) }
            Console.note(t.format("due.total", t.number(due.count), t.number(states.filter { $0 == "overdue" }.count),
                                  t.number(states.filter { $0 == "today" }.count)))
        }
    }

    struct Close: ParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(commandName: "close", abstract: Catalogue.process["help.due.close"])
        }
        @OptionGroup var global: GlobalOptions
        @Argument(help: ArgumentHelp(Catalogue.process["help.visit_id"])) var id: String

        func run() throws {
            let store = try StoreAccess.open(try Paths.store(global), reading: true)
            let t = Catalogue.process
            let visit = try store.visit(id).visit
            guard visit.openFollowUp != nil else { throw UsageError.noOpenFollowUp(visit: String(visit.id.suffix(8))) }
            var changes = VisitChanges()
            changes.extra = ["followUpClosed": .bool(true)]
            _ = try store.edit(visit.id, changes)
            Console.note(t.format("due.closed", String(visit.id.suffix(8))))
        }
    }
}
