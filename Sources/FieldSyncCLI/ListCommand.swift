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

/// `fieldsync list`: the visits in the store, newest first.
struct ListCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "list", abstract: Catalogue.process["help.list"],
                             discussion: Catalogue.process["help.list.discussion"] + "\n\n" + Catalogue.process["help.example"]
                                 + "\n  fieldsync list --service vneid-level2 --outcome failed --since 01/11/2026\n  fieldsync list --search \"tran van binh\"\n  fieldsync list --json")
    }

    @OptionGroup var global: GlobalOptions
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.only_service"])) var service: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.only_outcome"])) var outcome: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.since"])) var since: String?
    @Option(help: ArgumentHelp(Catalogue.process["help.opt.search"])) var search: String?
    @Flag(help: ArgumentHelp(Catalogue.process["help.opt.all"])) var all = false
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false
    @Flag(help: ArgumentHelp(Catalogue.process["help.opt.wide"])) var wide = false

    func run() throws {
        let filter = VisitFilter(
            service: try service.map { code throws(InputError) in try Service(code: code) },
            outcome: try outcome.map { code throws(InputError) in try Outcome(code: code) },
            since: try since.map { text throws(InputError) in try ISODate.parse(text) },
            search: search, includeDeleted: all)
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let visits = try store.visits(filter)
        if json {
            try Console.printJSON(visits.map { VisitDocument($0.visit, version: $0.version) })
            return
        }
        let t = Catalogue.process
        guard !visits.isEmpty else {
            Console.note(t["list.none"])
            return
        }
        var table = TextTable([t["list.id"], t["list.when"], t.field("service"), t.field("outcome"), t.field("commune"), t.field("name"),
                               t.field("cccd"), t.field("reason")].map { $0.uppercased() },
                              dropOrder: [7, 6, 4, 2], cutColumn: 5)
        for stored in visits {
            let v = stored.visit
            table.add([
                String(v.id.suffix(8)), t.time(v.visitedAt), t.service(v.service.rawValue),
                v.deleted ? t["show.deleted"] : t.outcome(v.outcome.rawValue), CommuneCatalogue.shared.commune(v.commune)?.name ?? v.commune,
                v.citizenName, v.citizenID?.masked ?? "", t.reason(v.reason?.rawValue),
            ])
        }
        let (text, hidden) = table.render(width: wide ? nil : SafeText.terminalWidth)
        print(text, terminator: "")
        if !hidden.isEmpty { Console.note(t.format("list.hidden", hidden.joined(separator: ", "))) }
    }
}
