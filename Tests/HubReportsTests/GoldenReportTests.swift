import FieldSyncTesting
import Foundation
import SyncProtocol
import Testing
@testable import HubReports
@testable import HubCore
@testable import HubSQLite

/// Every report in json and csv on the fixed fixture, against files under Golden/.
/// `UPDATE_GOLDEN=1 swift test --filter GoldenReportTests` rewrites them (then read the diff).
@Suite(.serialized) struct GoldenReportTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    let fixture: ReportFixture

    init() async throws { fixture = try await ReportFixture() }

    static let cases: [(ReportName, ReportFormat, ReportFilter, Bool)] = {
        var cases: [(ReportName, ReportFormat, ReportFilter, Bool)] = []
        for format in [ReportFormat.json, .csv] {
            cases.append((.merge, format, ReportFilter(), false))
            cases.append((.progress, format, ReportFilter(province: "01"), true))
            cases.append((.devices, format, ReportFilter(), false))
            cases.append((.duplicates, format, ReportFilter(), false))
        }
        return cases
    }()

    @Test(arguments: 0..<cases.count)
    func reportMatchesItsGoldenFile(index: Int) async throws {
        let (name, format, filter, withTargets) = Self.cases[index]
        let targets = withTargets ? try Targets(csv: ReportFixture.targets) : nil
        let text = try await ReportRenderer.render(ReportRequest(name: name, format: format, filter: filter, targets: targets),
                                             store: fixture.hub, now: ReportFixture.now)
        let file = Self.golden.appendingPathComponent("\(name.rawValue).\(format.rawValue)")
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] != nil {
            try Data(text.utf8).write(to: file)
            return
        }
        let expected = try Data(contentsOf: file)
        if Data(text.utf8) != expected {
            let actual = FileManager.default.temporaryDirectory.appendingPathComponent("actual-\(name.rawValue).\(format.rawValue)")
            try Data(text.utf8).write(to: actual)
            Issue.record("\(file.lastPathComponent) differs from the golden file; actual output in \(actual.path)")
        }
    }

    /// Tables and HTML for people: Vietnamese by default, English on request, times in Vietnam time.
    @Test(arguments: ReportName.allCases)
    func reportsForPeopleAreInVietnameseAndVietnamTime(name: ReportName) async throws {
        for format in [ReportFormat.table, .html] {
            let vi = try await ReportRenderer.render(ReportRequest(name: name, format: format, filter: ReportFilter(), width: nil),
                                               store: fixture.hub, now: ReportFixture.now)
            let en = try await ReportRenderer.render(ReportRequest(name: name, format: format, filter: ReportFilter(), width: nil,
                                                             language: .english), store: fixture.hub, now: ReportFixture.now)
            #expect(vi.contains("Giờ Việt Nam (UTC+7)") && en.contains("Vietnam time (UTC+7)"))
            #expect(vi.range(of: #"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"#, options: .regularExpression) == nil, "no UTC timestamp shown")
            let title = ["merge": ("Báo cáo hợp nhất", "Merge report"), "progress": ("Tiến độ", "Progress"),
                         "devices": ("Thiết bị", "Devices"), "duplicates": ("Nghi trùng lặp", "Probable duplicates"),
                         "coverage": ("Độ phủ", "Coverage"), "quality": ("Cờ chất lượng dữ liệu", "Data-quality flags")][name.rawValue]
            #expect(vi.contains(title?.0 ?? "?") && en.contains(title?.1 ?? "?"))
            if format == .html { #expect(vi.contains("<html lang=\"vi\">") && en.contains("<html lang=\"en\">")) }
        }
    }

    /// Every figure of a summary that counts a list below counts what that list lists (a conflict entry of two
    /// fields is one entry, not two rows); the heading of a list says how many things it lists.
    @Test func summariesCountWhatTheirListsList() async throws {
        let hub = fixture.hub
        func value(_ document: ReportDocument, _ label: String) -> Int? {
            document.summary.first { $0.0 == label }.flatMap { Int($0.1.split(separator: " ").first ?? "") }
        }
        func section(_ document: ReportDocument, _ title: String) -> ReportDocument.Section? { document.sections.first { $0.title == title } }

        let merge = try await hub.core().mergeReport(ReportFilter()).document(.programs)
        #expect(merge.sections.contains { $0.title == "Conflicts" && $0.rows.count > $0.count }, "the fixture has an entry of several fields")
        #expect((value(merge, "Conflicts") ?? -1) + (value(merge, "Edit vs delete") ?? -1) == section(merge, "Conflicts")?.count)
        #expect(value(merge, "Quarantined") == section(merge, "Quarantined records")?.count)
        #expect(value(merge, "Refused pushes") == section(merge, "Refused pushes")?.count)
        let text = try await ReportRenderer.render(ReportRequest(name: .merge, format: .table, filter: ReportFilter(), width: 200, language: .english),
                                             store: hub, now: ReportFixture.now)
        #expect(text.contains("CONFLICTS (\(value(merge, "Conflicts") ?? -1))"), "the heading counts entries")

        let devices = try await hub.core().devicesReport(ReportFilter(), staleDays: 7, now: ReportFixture.now).document(.programs)
        #expect(value(devices, "Devices") == section(devices, "Devices")?.count)
        #expect(value(devices, "Stale") == section(devices, "Devices")?.flagged.count)

        let duplicates = try hub.duplicatesReport(ReportFilter()).document(.programs)
        let groups = try hub.duplicatesReport(ReportFilter()).groups.count
        #expect(value(duplicates, "Citizens helped twice or more for one service") == groups)
        #expect(value(duplicates, "Visits involved") == section(duplicates, "Duplicates")?.count)

        let progress = try hub.progressReport(ReportFilter()).document(.programs)
        let provinces = try #require(section(progress, "Provinces"))
        for (n, label) in ["Done", "Pending", "Failed"].enumerated() {
            let column = try #require(provinces.columns.firstIndex { $0.title == label }, "column \(label)")
            #expect(value(progress, label) == provinces.rows.reduce(0) { $0 + (Int($1[column]) ?? 0) }, "\(label) (\(n))")
        }
    }

    /// A CSV file is one table: the main one, or the one asked for; an unknown name lists the others.
    @Test func aCSVFileHoldsOneTable() async throws {
        let conflicts = try await ReportRenderer.render(ReportRequest(name: .merge, format: .csv, filter: ReportFilter(), table: "conflicts"),
                                                  store: fixture.hub, now: ReportFixture.now)
        #expect(conflicts.hasPrefix("\u{FEFF}Id,Visit,Citizen") && conflicts.contains("27f53dbb31b3"))
        #expect(conflicts.split(separator: "\r\n").count == 3, "a header and the entry's two fields")
        do {
            _ = try await ReportRenderer.render(ReportRequest(name: .merge, format: .csv, filter: ReportFilter(), table: "salaries"),
                                          store: fixture.hub, now: ReportFixture.now)
            Issue.record("an unknown table must be refused")
        } catch let error as HubError {
            #expect(error.description.contains("devices, conflicts, quarantined-records, refused-pushes"), "\(error)")
        }
        for name in ReportName.allCases {
            let csv = try await ReportRenderer.render(ReportRequest(name: name, format: .csv, filter: ReportFilter(province: "01")),
                                                store: fixture.hub, now: ReportFixture.now)
            #expect(!csv.contains("\r\n\r\n"), "\(name): no second table after a blank line")
        }
    }

    @Test func theFixtureHasWhatTheReportsMustShow() async throws {
        let hub = fixture.hub
        let merge = try await hub.core().mergeReport(ReportFilter())
        #expect(merge.conflicts.count == 1 && merge.quarantined.count == 1)
        #expect(merge.quarantined.first?.payload.contains("password") == true)
        let devices = try await hub.core().devicesReport(ReportFilter(), staleDays: 7, now: ReportFixture.now)
        #expect(devices.devices.filter(\.stale).map(\.device) == ["d-cuc"])
        #expect(try hub.duplicatesReport(ReportFilter()).groups.first?.visits.count == 2)
        let progress = try hub.progressReport(ReportFilter(province: "01"), targets: try Targets(csv: ReportFixture.targets))
        let communes = progress.provinces.flatMap(\.communes)
        #expect(communes.count == CommuneCatalogueCount.hanoi)
        #expect(communes.first?.commune == "00025", "worst first: a commune with a target and nothing done")
        #expect(communes.first { $0.commune == "00004" }?.totals.citizens == 3, "v1 and v4 are one citizen; two visits without an ID")
        #expect(progress.inactiveCommunes == CommuneCatalogueCount.hanoi - 2)
    }

    @Test func terminalTablesFitTheScreenAndKeepEveryValue() async throws {
        let hub = fixture.hub
        for name in ReportName.allCases {
            let request = ReportRequest(name: name, format: .table, filter: ReportFilter(province: "01"),
                                        targets: try Targets(csv: ReportFixture.targets), width: 100)
            let narrow = try await ReportRenderer.render(request, store: hub, now: ReportFixture.now)
            let long = narrow.split(separator: "\n").filter { $0.count > 100 && !$0.hasPrefix("    ") }
            #expect(long.isEmpty, "\(name): \(long.first ?? "")")
            var wide = request
            wide.width = nil
            let full = try await ReportRenderer.render(wide, store: hub, now: ReportFixture.now)
            // The same values either way: every cell of the wide table is somewhere in the narrow one.
            for cell in full.split(whereSeparator: { $0 == " " || $0 == "\n" }) { #expect(narrow.contains(cell), "\(name): \(cell)") }
        }
    }

    @Test func theHTMLIsOneSelfContainedPage() async throws {
        let hub = fixture.hub
        for name in ReportName.allCases {
            let html = try await ReportRenderer.render(ReportRequest(name: name, format: .html, filter: ReportFilter(province: "01"),
                                                               targets: try Targets(csv: ReportFixture.targets)),
                                                 store: hub, now: ReportFixture.now)
            #expect(html.hasPrefix("<!DOCTYPE html>") && html.contains("name=\"viewport\""))
            #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("<script") && !html.contains("<link"),
                    "no external resources in the \(name) report")
            #expect(html.contains("<style>"))
        }
        let progress = try await ReportRenderer.render(ReportRequest(name: .progress, format: .html, filter: ReportFilter(commune: "00004")),
                                                 store: hub, now: ReportFixture.now)
        #expect(progress.contains("<svg") && progress.contains("Phường Ba Đình"))
    }

    @Test func aChangeAfterTheFactIsCountedOnce() async throws {
        let fixture = try await ReportFixture()
        let before = try fixture.hub.progressReport(ReportFilter(commune: "00004"))
        try await fixture.hub.core(now: ReportFixture.now).resolveDuplicate("019aa000-0000-7000-8000-000000000004",
                                                                             keeping: "019aa000-0000-7000-8000-000000000001",
                                                                             by: "Phạm Văn Hải", scope: Scope())
        let after = try fixture.hub.progressReport(ReportFilter(commune: "00004"))
        #expect(after.totals.done == before.totals.done - 1)
        #expect(after.totals.citizens == before.totals.citizens, "the kept visit still counts the citizen")
        #expect(try fixture.hub.duplicatesReport(ReportFilter()).groups.isEmpty)
        // The aggregates equal a recount from the visits themselves.
        let recount = try fixture.hub.progressReport(ReportFilter(since: "2000-01-01T00:00:00Z", commune: "00004"))
        #expect(recount.totals == after.totals)
    }
}

/// Sizes from the 2025 catalogue the tests rely on.
enum CommuneCatalogueCount {
    static let hanoi = 126
}

@Suite struct AggregateRebuildTests {
    @Test func rebuildingTheAggregatesGivesTheSameReports() async throws {
        let fixture = try await ReportFixture()
        let progress = try fixture.hub.progressReport(ReportFilter(province: "01"))
        try fixture.hub.rebuildAggregates()
        #expect(try fixture.hub.progressReport(ReportFilter(province: "01")) == progress)
    }
}
