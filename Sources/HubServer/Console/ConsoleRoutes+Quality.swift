import FieldModel
import Foundation
import HubCore
import HubReports
import Hummingbird
import Localization
import TextSafety

extension ConsoleRoutes {
    /// Data-quality flags of the area for a period (issue 33; the last 7 days by default): each rule in words, with its
    /// figures and links to its visits. Reasons to look, not accusations.
    func quality(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let q = ConsoleForm(query: request)
        var (filter, since, until) = try Self.period(request, scope: who.device.scope)
        if q.text("since") == nil {
            let week = VietnamTime.day(of: service.clock.now().addingTimeInterval(-7 * 86_400))
            filter.since = VietnamTime.start(ofDay: week)
            since = week
        }
        let rules = limits.qualityRules
        let flags = try await service.qualityFlags(scope: who.device.scope, since: filter.since, until: filter.until, rules: rules)
        let rows = flags.map { flag -> [String: Any] in
            ["rule": flag.ruleName(t), "subject": SafeText.terminal(flag.subject), "text": flag.explanation(t), "visits": flag.visits.prefix(8).enumerated().map { ["id": $0.element, "n": $0.offset + 1] },
                    "more": flag.visits.count > 8 ? t.format("quality_more", t.number(flag.visits.count - 8)) : ""]
        }
        try await auditRead(who, page: "quality", detail: ["flags": "\(flags.count)"])
        return page("quality", ["flags": rows, "has_flags": !rows.isEmpty, "thresholds": rules.summary(t), "period": Self.periodText(since: since, until: until, t),
                                "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? ""],
                    request: request, signedIn: who)
    }
}
