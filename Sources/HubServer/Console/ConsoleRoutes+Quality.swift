import FieldModel
import Foundation
import HubCore
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
        let rules = QualityRules()
        let flags = try await service.qualityFlags(scope: who.device.scope, since: filter.since, until: filter.until, rules: rules)
        let rows = flags.map { flag -> [String: Any] in
            let figures = flag.figures.mapValues { t.number($0) }
            let text: String = switch flag.rule {
            case "burst": t.format("quality_burst", figures["visits"] ?? "", figures["minutes"] ?? "")
            case "shared-phone": t.format("quality_shared_phone", figures["citizens"] ?? "", figures["visits"] ?? "")
            case "night": t.format("quality_night", figures["visits"] ?? "", figures["from"] ?? "", figures["to"] ?? "")
            case "same-name": t.format("quality_same_name", figures["visits"] ?? "")
            case "failed-rate": t.format("quality_failed_rate", figures["percent"] ?? "", figures["team"] ?? "", figures["visits"] ?? "")
            default: t["quality_note"]
            }
            return ["rule": t["quality_rule_" + flag.rule.replacingOccurrences(of: "-", with: "_")], "subject": SafeText.terminal(flag.subject),
                    "text": text, "visits": flag.visits.prefix(8).enumerated().map { ["id": $0.element, "n": $0.offset + 1] },
                    "more": flag.visits.count > 8 ? t.format("quality_more", t.number(flag.visits.count - 8)) : ""]
        }
        try await auditRead(who, page: "quality", detail: ["flags": "\(flags.count)"])
        return page("quality", ["flags": rows, "has_flags": !rows.isEmpty, "period": Self.periodText(since: since, until: until, t),
                                "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? ""],
                    request: request, signedIn: who)
    }
}
