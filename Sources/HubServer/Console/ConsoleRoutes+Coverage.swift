import FieldModel
import Foundation
import Hummingbird
import HubCore
import HubReports
import Localization
import SyncProtocol
import TextSafety

extension ConsoleRoutes {
    /// Coverage of the coordinator's area (issue 31): households in the list and visited, adults, VNeID level 2 applied
    /// and activated, follow-ups due and overdue, by village; and the overdue follow-ups by team, each linking its visit.
    func coverage(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let now = service.clock.now()
        let lines = try await coverageCache.lines(in: who.device.scope, now: now, storage: service)
        let overdue = try await service.overdueFollowUps(in: who.device.scope, now: now, limit: 300)
        var total = CoverageLine(commune: "", village: "")
        for line in lines { total.add(line) }
        func share(_ part: Int, _ whole: Int) -> String { whole == 0 ? "—" : t.percent((Double(part) / Double(whole) * 1000).rounded() / 10) }
        let listed = lines.filter { !$0.village.isEmpty }
        var teams: [String: Int] = [:]
        for item in overdue { teams[item.team, default: 0] += 1 }
        try await auditRead(who, page: "coverage", detail: ["overdue": "\(overdue.count)"])
        return page("coverage", [
            "totals": [
                ["label": t["coverage_households"], "value": t.number(total.households)],
                ["label": t["coverage_visited"], "value": t.number(total.visited) + " (" + share(total.visited, total.households) + ")"],
                ["label": t["coverage_adults"], "value": t.number(total.adults)],
                ["label": t["coverage_pending"], "value": t.number(total.level2Pending)],
                ["label": t["coverage_done"], "value": t.number(total.level2Done) + " (" + share(total.level2Done, total.adults) + ")"],
                ["label": t["coverage_due"], "value": t.number(total.due)],
                ["label": t["coverage_overdue"], "value": t.number(total.overdue)],
            ],
            "villages_svg": listed.isEmpty ? "" : ReportDocument.svg(.init(
                caption: t["coverage_chart"],
                bars: listed.prefix(40).map { .init(label: $0.village, value: Double($0.households),
                                                    parts: [Double($0.visited), Double($0.households - $0.visited)],
                                                    note: t.number($0.visited) + " / " + t.number($0.households)) },
                maximum: Double(listed.map(\.households).max() ?? 0), legend: [t["coverage_visited"], t["coverage_not_visited"]])),
            "lines": lines.map { line -> [String: Any] in
                ["commune": t.value(.text(line.commune), of: "commune"),
                 "village": line.village.isEmpty ? t["coverage_no_household"] : SafeText.terminal(line.village),
                 "households": t.number(line.households), "visited": t.number(line.visited), "share": share(line.visited, line.households),
                 "adults": t.number(line.adults), "pending": t.number(line.level2Pending), "done": t.number(line.level2Done),
                 "due": t.number(line.due), "overdue": t.number(line.overdue), "late": line.overdue > 0]
            },
            "has_overdue": !overdue.isEmpty,
            "teams": teams.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { ["team": SafeText.terminal($0.key), "count": t.number($0.value)] },
            "overdue": overdue.map { item -> [String: Any] in
                ["id": item.visit, "short": String(item.visit.suffix(8)), "team": SafeText.terminal(item.team),
                 "volunteer": SafeText.terminal(item.volunteer), "service": t.service(item.service),
                 "village": item.village.isEmpty ? t["coverage_no_household"] : SafeText.terminal(item.village),
                 "on": t.day(VietnamTime.day(ofCanonical: item.on) ?? item.on)]
            },
        ], request: request, signedIn: who)
    }
}
