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

/// `fieldsync progress`: the team's coverage by village from what this laptop holds, offline (issue 31).
struct ProgressCommand: ParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(commandName: "progress", abstract: Catalogue.process["help.progress"])
    }
    @OptionGroup var global: GlobalOptions
    @Flag(help: ArgumentHelp(Catalogue.process["help.json"])) var json = false

    func run() throws {
        let store = try StoreAccess.open(try Paths.store(global), reading: true)
        let lines = try store.coverage()
        if json { return try Console.printJSON(lines) }
        let t = Catalogue.process
        guard !lines.isEmpty else { return Console.note(t["coverage.none"]) }
        var table = TextTable(["coverage.village", "coverage.households", "coverage.visited", "coverage.adults", "coverage.pending",
                               "coverage.done", "coverage.due", "coverage.overdue"].map { t[$0] }, cutColumn: 0)
        var total = CoverageLine(commune: "", village: t["coverage.total"])
        for line in lines {
            table.add([line.village.isEmpty ? t["coverage.no_household"] : line.village] + ProgressCommand.figures(line).map(t.number))
            total.add(line)
        }
        if lines.count > 1 { table.add([total.village] + ProgressCommand.figures(total).map(t.number)) }
        print(table.render(width: SafeText.terminalWidth).text, terminator: "")
    }

    static func figures(_ line: CoverageLine) -> [Int] {
        [line.households, line.visited, line.adults, line.level2Pending, line.level2Done, line.due, line.overdue]
    }
}
