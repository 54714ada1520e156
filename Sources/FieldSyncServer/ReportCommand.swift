import ArgumentParser
import FieldModel
import Foundation
import HubReports
import HubCore
import SyncProtocol
import HubSQLite
import Localization
import TextSafety

/// `fieldsync-server report NAME`: the coordinators' reports.
struct ReportCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "report",
        abstract: Catalogue.process.helpText("Coordinator reports: merge, progress, devices, duplicates, coverage, quality."),
        discussion: Catalogue.process.helpText("""
            merge       what every device's pushes did; every conflict with both values, who wrote them and \
            which was kept; quarantined records with their payload; refused pushes.
            progress    per commune and service: done, pending, failed by reason, distinct citizens; rolled up \
            to provinces; with --targets, the share reached and what is left, worst first. Communes with no \
            activity are listed.
            devices     per device: last sync, visits in the period, unsynced backlog, stale flag.
            duplicates  the same citizen helped for the same service more than once, with every visit.
            coverage    per village: households in the list, visited, adults, VNeID level 2 applied and \
            activated, follow-ups due and overdue; per commune; citizens per service; the trend by week.
            quality     data-quality flags (reasons to look, not accusations): bursts of activations, one phone \
            on many citizens, night visits, one name without CCCD, failed rates unlike the team's, notes \
            against outcomes, villages whose coverage jumped in a day; --quality-rules sets the thresholds.

            Example:
              fieldsync-server --db hub.sqlite report progress --province 01 --targets \\
                  targets.csv --format html > p.html
              fieldsync-server --db hub.sqlite report devices --stale-days 3
              fieldsync-server --db hub.sqlite report merge --since 2025-11-01 \\
                  --format csv
            """))
    }

    @OptionGroup var global: HubOptions
    @Argument(help: ArgumentHelp(Catalogue.process.helpText("merge, progress, devices, duplicates, coverage or quality."))) var name: String
    @Option(help: ArgumentHelp(Catalogue.process.helpText("table, csv, json or html."))) var format = "table"
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Visits on or after this date (ISO 8601)."))) var since: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Visits before this date (ISO 8601)."))) var until: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this province (2 digits)."))) var province: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("Only this commune (5 digits)."))) var commune: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("progress: a CSV file commune,service,target."))) var targets: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("progress: VNeID level 2 targets from the household lists, this share of adults (80%)."),
                               valueName: "share")) var targetShare: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("devices: days without a sync before a device is stale."))) var staleDays = 7
    @Option(help: ArgumentHelp(Catalogue.process.helpText("csv: which table (one per file; the report's main one by default), e.g. conflicts."))) var table: String?
    @Option(help: ArgumentHelp(Catalogue.process.helpText("quality: a JSON file of thresholds (see Protocol/quality-rules.json)."),
                               valueName: "path")) var qualityRules: String?
    @Flag(help: ArgumentHelp(Catalogue.process.helpText("table: keep every table in columns however wide (otherwise wide ones become one block per row).")))
    var wide = false

    func run() async throws {
        guard let report = ReportName(rawValue: name) else {
            throw ServerInputError("unknown report \(SafeText.quote(name)): use " + ReportName.allCases.map(\.rawValue).joined(separator: ", "))
        }
        guard let format = ReportFormat(rawValue: format) else {
            throw ServerInputError("unknown format \(SafeText.quote(format)): use " + ReportFormat.allCases.map(\.rawValue).joined(separator: ", "))
        }
        let filter = try ReportFilter.parsing(since: since, until: until, province: province, commune: commune)
        let targets = try self.targets.map { path throws(TargetsError) in try Targets(file: path) }
        let share = try targetShare.map { text in
            guard let share = Targets.share(text) else { throw ServerInputError("--target-share is a share of adults, like 80% (not \(SafeText.quote(text)))") }
            return share
        }
        let language = try global.catalogue.language
        let rules = try qualityRules.map(QualityRules.init(file:)) ?? QualityRules()
        let request = ReportRequest(name: report, format: format, filter: filter, targets: targets, staleDays: staleDays,
                                    width: wide ? nil : SafeText.terminalWidth, language: language, table: table, targetShare: share,
                                    qualityRules: rules)
        try await global.audit(.report, scope: Device.text(of: filter.scope), detail: [
            "report": report.rawValue, "format": format.rawValue, "since": filter.since ?? "", "until": filter.until ?? "",
        ])
        print(try await global.withStorage(readOnly: true) { try await ReportRenderer.render(request, storage: $0) }, terminator: "")
    }
}

/// `fieldsync-server duplicates resolve`: settles a probable duplicate with a hub-authored write.
struct DuplicatesCommand: AsyncParsableCommand {
    static var configuration: CommandConfiguration {
        CommandConfiguration(
        commandName: "duplicates",
        abstract: Catalogue.process.helpText("Resolve probable duplicates found by `report duplicates`."),
        subcommands: [Resolve.self])
    }

    /// `duplicates resolve`.
    struct Resolve: AsyncParsableCommand {
        static var configuration: CommandConfiguration {
            CommandConfiguration(
            abstract: Catalogue.process.helpText("Delete one visit of a duplicate pair; the deletion syncs to the laptops."),
            discussion: Catalogue.process.helpText("""
                The hub writes the deletion itself, with a note naming the visit kept and who resolved it, \
                so it syncs like any other change and the merge keeps every value.

                Example:
                  fieldsync-server --db hub.sqlite duplicates resolve 01a1ffe5-… --keep \\
                      01a1ffe6-… --by "Trần Văn Hải"
                """))
        }
        @OptionGroup var global: HubOptions
        @Argument(help: ArgumentHelp(Catalogue.process.helpText("The visit to delete (the duplicate)."))) var visit: String
        @Option(help: ArgumentHelp(Catalogue.process.helpText("The visit of the same citizen and service to keep."))) var keep: String
        @Option(help: ArgumentHelp(Catalogue.process.helpText("Who resolves it."))) var by = "coordinator"

        func run() async throws {
            let (visit, keep, by) = (self.visit, self.keep, self.by)
            // On either engine (the SQLite file, or PostgreSQL with --database).
            let deleted = try await global.withStorage { storage in
                let deleted = try await storage.resolveDuplicate(visit, keeping: keep, by: by, scope: Scope())
                try await storage.appendAudit([AuditDraft(actor: "operator", action: .duplicateResolve, scope: "whole country",
                                                          detail: ["visit": deleted, "kept": keep, "by": by])])
                return deleted
            }
            print(try global.catalogue.format("duplicates.resolved", String(deleted.suffix(8)), String(keep.suffix(8))))
        }
    }
}
