import FieldModel
import Foundation
import Hummingbird
import HubReports
import HubCore
import HubSQLite
import Localization
import SyncCore
import SyncProtocol
import TextSafety

extension ConsoleRoutes {
    /// Progress against targets for the coordinator's area: totals, the communes that went quiet
    /// first (as a count and a folded list, not a row each), a 14-day trend, communes by activity and
    /// the failure reasons, with charts drawn as inline SVG.
    func overview(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let (filter, since, until) = try Self.period(request, scope: who.device.scope)
        let targets = try await service.targets(who.device.scope)
        // With a period, distinct citizens would mean reading every visit of it: the overview leaves them out.
        let whole = filter.since == nil && filter.until == nil
        let report = try await service.progressReport(filter, targets: targets.values.isEmpty ? nil : targets, citizens: whole)
        let communes = report.provinces.flatMap(\.communes)
        let active = communes.filter(\.active).sorted { ($0.totals.visits, $1.commune) > ($1.totals.visits, $0.commune) }
        let quiet = communes.filter { !$0.active }.map(\.name)
        let totals = report.totals
        // Training sessions count apart from visits: the people trained in the period (the sum of their attendees).
        let trained = try await service.kindTotals("session", scope: who.device.scope, since: filter.since, until: filter.until)
            .reduce(0) { $0 + $1.amount }
        // Households visited of the commune's lists (the coverage page has them by village), once any list is imported.
        var coverage = CoverageLine(commune: "", village: "")
        for line in try await coverageCache.lines(in: who.device.scope, now: service.clock.now(), storage: service) { coverage.add(line) }
        var cards: [[String: String]] = [
            ["label": t["visits"], "value": t.number(totals.visits)], ["label": t["done"], "value": t.number(totals.done)],
            ["label": t["pending"], "value": t.number(totals.pending)], ["label": t["failed"], "value": t.number(totals.failed)],
            ["label": t["citizens"], "value": whole ? t.number(totals.citizens) : "—"],
            ["label": t["active_communes"], "value": "\(t.number(active.count)) / \(t.number(communes.count))"],
            ["label": t["people_trained"], "value": t.number(trained)],
        ]
        if coverage.households > 0 {
            cards += [["label": t["coverage_visited"], "value": t.number(coverage.visited) + " / " + t.number(coverage.households)],
                      ["label": t["coverage_overdue"], "value": t.number(coverage.overdue)]]
        }
        // Counted and not yet accepted, and rejected (counted nowhere), as the progress report says them.
        if let review = report.review {
            cards += [["label": t["progress.review"], "value": t.number(review.awaiting)], ["label": t["progress.rejected"], "value": t.number(review.rejected)]]
        }
        if let target = totals.target {
            cards += [["label": t["target"], "value": t.number(target)], ["label": t["reached"], "value": totals.percent.map(t.percent) ?? "—"]]
        }
        var values: [String: Any] = [
            "period": Self.periodText(since: since, until: until, t), "since": since ?? "", "until": until ?? "",
            "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? "",
            "totals": cards,
            "communes": active.prefix(300).map { c -> [String: Any] in
                ["code": c.commune, "name": SafeText.terminal(c.name), "visits": t.number(c.totals.visits), "done": t.number(c.totals.done),
                 "failed": t.number(c.totals.failed), "citizens": whole ? t.number(c.totals.citizens) : "—",
                 "target": c.totals.target.map(t.number) ?? "—", "percent": c.totals.percent.map(t.percent) ?? "—"]
            },
        ]
        if !quiet.isEmpty {
            values["quiet_count"] = t.number(quiet.count)
            values["quiet_preview"] = quiet.prefix(6).joined(separator: ", ") + (quiet.count > 6 ? ", …" : "")
            values["quiet_all"] = quiet.joined(separator: ", ")
        }
        let legend = [t["done"], t["pending"], t["failed"]]
        let top = active.prefix(15)
        values["communes_svg"] = ReportDocument.svg(.init(
            caption: t["by_commune"],
            bars: top.map { .init(label: $0.name, value: Double($0.totals.visits),
                                  parts: [Double($0.totals.done), Double($0.totals.pending), Double($0.totals.failed)],
                                  note: t.number($0.totals.visits)) },
            maximum: Double(top.first?.totals.visits ?? 0), legend: legend))
        let reasons = totals.failedByReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        values["reasons_svg"] = ReportDocument.svg(.init(
            caption: t["reasons"], bars: reasons.map { .init(label: t.reason($0.key), value: Double($0.value), note: t.number($0.value)) },
            maximum: Double(reasons.first?.value ?? 0)))
        values["trend_svg"] = ReportDocument.svg(try await trend(ending: until, filter: filter, t: t, legend: legend))
        return page("overview", values, request: request, signedIn: who)
    }

    /// Visits per Vietnam day over the 14 days ending with `until` (today when open), in one query.
    func trend(ending until: String?, filter: ReportFilter, t: Catalogue, legend: [String]) async throws -> ReportDocument.Chart {
        let last = until ?? VietnamTime.day(of: service.clock.now())
        guard let lastStart = VietnamTime.start(ofDay: last).flatMap(ISODate.parseCanonical) else {
            throw HubError.invalidRequest("until must be a date")
        }
        let firstStart = lastStart.addingTimeInterval(-13 * 86_400)
        var period = filter
        period.since = ISODate.format(firstStart)
        period.until = ISODate.format(lastStart.addingTimeInterval(86_400))
        let days = try await service.dailyOutcomes(period)
        let bars = (0..<14).map { n -> ReportDocument.Chart.Bar in
            let start = firstStart.addingTimeInterval(Double(n) * 86_400)
            let counts = days[VietnamTime.day(of: start)] ?? [:]
            let parts = ["done", "pending", "failed"].map { Double(counts[$0] ?? 0) }
            let total = Int(parts.reduce(0, +))
            return .init(label: String(VietnamTime.display(start).prefix(5)), value: Double(total), parts: parts, note: t.number(total))
        }
        return .init(caption: t["trend"], bars: bars, maximum: bars.map(\.value).max() ?? 0, legend: legend)
    }

    /// The request's catalogue, reading the labels of the visit kind's latest published version (its new fields and options).
    func catalogue(_ request: Request) async throws -> Catalogue {
        Catalogue(request: request).reading(PublishedKind.latest("visit", in: try await service.kinds()))
    }

    /// The filterable, paginated visit table (newest changes first).
    func visits(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = try await catalogue(request)
        let q = ConsoleForm(query: request)
        func param(_ name: String) -> String? { q.text(name).map { String($0.prefix(80)) } }
        var query = VisitQuery()
        var (filter, since, until) = try Self.period(request, scope: who.device.scope, commune: param("commune"))
        if param("review") == "sample" {
            // A sample for verification calls: last week's visits by default, a seed drawn once and kept in the address.
            let percent = try HubRoutes.integer(param("percent").map { Substring($0) }, name: "percent", in: 1...100, default: 5)
            guard let seed = param("seed"), seed.utf8.count <= 32 else {
                var again = URLComponents()
                again.queryItems = request.uri.queryParameters.filter { $0.key != "seed" }.map { URLQueryItem(name: String($0.key), value: String($0.value)) }
                    + [URLQueryItem(name: "seed", value: VisitSample.newSeed())]
                return Response.redirect(to: "/console/visits?" + (again.percentEncodedQuery ?? ""), type: .found)
            }
            if q.text("since") == nil {
                let week = VietnamTime.day(of: service.clock.now().addingTimeInterval(-7 * 86_400))
                filter.since = VietnamTime.start(ofDay: week)
                since = week
            }
            query.sample = VisitSample(percent: Int(percent), seed: seed)
        }
        query.filter = filter
        query.team = param("team")
        query.volunteer = param("volunteer")
        query.name = param("name")
        query.service = try param("service").map { code throws(HubError) in
            guard let service = Service(rawValue: code) else { throw HubError.invalidRequest("unknown service \(SafeText.quote(code))") }
            return service
        }
        query.outcome = try param("outcome").map { code throws(HubError) in
            guard let outcome = Outcome(rawValue: code) else { throw HubError.invalidRequest("unknown outcome \(SafeText.quote(code))") }
            return outcome
        }
        query.before = try param("before").map { try HubRoutes.integer(Substring($0), name: "before", in: 1...UInt64(Int64.max), default: 0) }
        query.toReview = param("review") == "queue"
        let page = try await service.visits(query)
        let rows = page.visits.map { v -> [String: Any] in
            var review = v.published?["review"]?.text.map(t.review) ?? t["review_none"]
            if page.resubmitted.contains(v.id) { review += " (" + t["review_resubmitted"] + ")" }
            return ["id": v.id, "time": t.time(v.visitedAt), "name": SafeText.terminal(v.name), "service": t.service(v.service),
                    "outcome": t.outcome(v.outcome), "reason": t.reason(v.reason),
                    "commune": CommuneCatalogue.shared.commune(v.commune)?.name ?? v.commune, "team": SafeText.terminal(v.team),
                    "volunteer": SafeText.terminal(v.volunteer), "review": review, "phone": v.phone ?? "—"]
        }
        var keep = URLComponents()
        keep.queryItems = ["name", "commune", "team", "volunteer", "service", "outcome", "review", "seed", "percent"].compactMap { key in param(key).map { URLQueryItem(name: key, value: $0) } }
            + [since.map { URLQueryItem(name: "since", value: $0) }, until.map { URLQueryItem(name: "until", value: $0) }].compactMap { $0 }
        let base = "/console/visits?" + (keep.percentEncodedQuery ?? "")
        var values: [String: Any] = [
            "rows": rows, "has_rows": !rows.isEmpty, "search_cut": page.searchCut,
            "q": ["name": param("name") ?? "", "commune": param("commune") ?? "", "team": param("team") ?? "",
                  "volunteer": param("volunteer") ?? "", "since": since ?? "", "until": until ?? "",
                  "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? ""],
            "services": t.serviceCodes.map { ["code": $0, "title": t.service($0), "selected": query.service?.rawValue == $0] },
            "outcomes": Outcome.allCases.map { ["code": $0.rawValue, "title": t.outcome($0.rawValue), "selected": query.outcome == $0] },
            "queue": query.toReview || query.sample != nil, "queue_page": query.toReview, "back": base,
            "review_states": ReviewState.allCases.map { ["code": $0.rawValue, "label": t.review($0.rawValue)] },
        ]
        if query.toReview { values["title"] = t["page_review"] }
        if let mode = param("review"), ["queue", "sample"].contains(mode) { values["mode"] = mode }
        if let sample = query.sample {
            values["title"] = t["page_sample"]
            values["sample"] = ["percent": "\(sample.percent)", "seed": sample.seed,
                                "hint": t.format("sample_hint", "\(sample.percent)", Self.periodText(since: since, until: until, t))]
            var fresh = keep
            fresh.queryItems = fresh.queryItems?.filter { $0.name != "seed" }
            values["new_sample"] = "/console/visits?" + (fresh.percentEncodedQuery ?? "")
        }
        if let next = page.next { values["next_page"] = base + "&before=\(next)" }
        if query.before != nil { values["first_page"] = base }
        try await auditRead(who, page: query.sample == nil ? "visits" : "sample",
                            detail: ["rows": "\(rows.count)", "search": param("name") == nil ? "no" : "yes"])
        return self.page("visits", values, request: request, signedIn: who)
    }

    /// One visit: its fields with who last wrote each, and its conflict entries.
    func visit(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = try await catalogue(request)
        let id = String((context.parameters.get("id") ?? "").prefix(64))
        let detail = try await service.visit(id, scope: who.device.scope)
        let v = detail.visit
        let conflicts = conflictRows(detail.conflicts, t: t)
        var review = t["review_none"]
        if let decision = detail.review {
            review = t.review(decision.state.rawValue) + (decision.comment.map { ": «\(SafeText.terminal($0))»" } ?? "")
                + " — " + t.format("review_by", SafeText.terminal(decision.reviewer), t.time(decision.at))
            if detail.changedAfterReview {
                review += " (" + t[decision.state == .needsCorrection ? "review_resubmitted" : "review_changed_after"] + ")"
            }
        }
        let values: [String: Any] = [
            "id": v.id, "name": SafeText.terminal(v.name),
            "summary": [
                ["label": t["service"], "value": t.service(v.service)],
                ["label": t["outcome"], "value": t.outcome(v.outcome) + (v.reason.map { " — " + t.reason($0) } ?? "")],
                ["label": t["visited_at"], "value": t.time(v.visitedAt)],
                ["label": t["commune"], "value": t.value(.text(v.commune), of: VisitField.commune.rawValue)],
                ["label": t["volunteer"], "value": "\(SafeText.terminal(v.volunteer)) · \(t["team"]) \(SafeText.terminal(v.team))"],
                ["label": t["review_card"], "value": review],
            ],
            "review_states": ReviewState.allCases.map { ["code": $0.rawValue, "label": t.review($0.rawValue)] },
            "fields": detail.fields.map { f -> [String: Any] in
                ["label": t.field(f.field), "value": SafeText.terminal(t.value(f.value, of: f.field)),
                 "by": SafeText.terminal(f.writtenBy ?? t["hub_writer"]), "at": t.time(f.writtenAt)]
            },
            "title": t.format("page_visit", SafeText.terminal(v.name)),
            "conflicts": conflicts, "has_conflicts": !conflicts.isEmpty,
        ]
        try await auditRead(who, page: "visit", detail: ["visit": detail.visit.id])
        return page("visit", values, request: request, signedIn: who)
    }

    /// Conflict entries of the area, open ones by default, newest first (at most 500 shown).
    func conflicts(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let status: ConflictStatus
        switch request.uri.queryParameters["status"] ?? "open" {
        case "open": status = .open
        case "resolved": status = .resolved
        case "all": status = .all
        default: throw HubError.invalidRequest("status must be open, resolved or all")
        }
        let lines = try await service.conflicts(status: status, since: nil, until: nil, scope: who.device.scope)
        let rows = conflictRows(Array(lines.suffix(500).reversed()), t: t)
        try await auditRead(who, page: "conflicts", detail: ["entries": "\(rows.count)"])
        return page("conflicts", ["conflicts": rows, "has_conflicts": !rows.isEmpty], request: request, signedIn: who)
    }

    /// Conflict entries as the console shows them: each field with both values and their writers by name, the
    /// value kept (after a resolution, the value it wrote), and for an open entry a choice per field.
    func conflictRows(_ lines: [MergeReport.ConflictLine], t: Catalogue) -> [[String: Any]] {
        lines.map { c in
            let editable = c.kind == Conflict.Kind.conflict.rawValue
            func name(_ w: MergeReport.Written?) -> String { SafeText.terminal(w?.volunteer ?? t["hub_writer"]) }
            var row: [String: Any] = [
                "id": c.id, "record": c.record, "citizen": SafeText.terminal(c.citizen ?? String(c.record.suffix(8))),
                "found_at": t.time(c.foundAt), "kind": t.conflictKind(c.kind), "open": c.resolution == nil, "editable": editable,
                "fields": c.fields.filter { $0.field != RecordState.deletedField || !editable }.map { f -> [String: Any] in
                    let kept = c.kept(f)
                    return ["name": f.field, "label": t.field(f.field),
                            "stored": SafeText.terminal(t.value(f.stored?.value, of: f.field)), "stored_by": name(f.stored),
                            "stored_at": t.time(f.stored?.at),
                            "incoming": SafeText.terminal(t.value(f.incoming?.value, of: f.field)), "incoming_by": name(f.incoming),
                            "incoming_at": t.time(f.incoming?.at),
                            "kept": SafeText.terminal(t.value(kept, of: f.field)), "stored_kept": f.winner == .stored,
                            "stored_choice": t.format("value_of", name(f.stored)),
                            "incoming_choice": t.format("value_of", name(f.incoming)),
                            "typable": Self.typable.contains(f.field)]
                },
            ]
            if !editable {
                let storedDeleted = c.fields.first { $0.field == RecordState.deletedField }?.stored?.value == .bool(true)
                let edit = c.fields.first { $0.field != RecordState.deletedField }
                let editor = storedDeleted ? edit?.incoming : edit?.stored
                row["keep_label"] = t["keep_deleted"]
                row["take_label"] = t.format("restore_edit", name(editor))
            }
            if let r = c.resolution { row["resolution"] = SafeText.terminal(MergeReport.resolutionText(r, t)) }
            return row
        }
    }

    /// Fields a coordinator may type a value for (codes, times and the citizen's ID are chosen, not typed).
    static let typable: Set<String> = [VisitField.name.rawValue, VisitField.note.rawValue, VisitField.phone.rawValue, VisitField.team.rawValue]

    /// Visits the hub refused, with the reason and how to fix them (the first 100 of the area).
    func quarantine(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let report = try await service.mergeReport(try ReportFilter().limited(to: who.device.scope))
        let rows = report.quarantined.map { q -> [String: Any] in
            ["received": t.time(q.receivedAt), "volunteer": SafeText.terminal(q.volunteer ?? q.device), "record": q.record,
             "reason": SafeText.terminal(q.reason), "attempts": t.number(q.attempts)]
        }
        try await auditRead(who, page: "quarantine", detail: ["rows": "\(rows.count)"])
        return page("quarantine", ["rows": rows, "has_rows": !rows.isEmpty, "total": t.number(report.totals.quarantined)],
                    request: request, signedIn: who)
    }

    /// Groups of visits of one citizen for one service; each repeat can be deleted, keeping the first.
    func duplicates(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let report = try await service.duplicatesReport(try ReportFilter().limited(to: who.device.scope))
        // A page stays light: the first 100 groups, 10 visits each (the report and exports have them all).
        let groups = report.groups.prefix(100).map { g -> [String: Any] in
            let ordered = g.visits.sorted { ($0.visitedAt, $0.id) < ($1.visitedAt, $1.id) }
            let kept = ordered.first?.id ?? ""
            return ["name": SafeText.terminal(g.name), "citizen": g.citizen, "service": t.service(g.service),
                    "visits": ordered.prefix(10).map { v -> [String: Any] in
                        ["id": v.id, "time": t.time(v.visitedAt), "outcome": t.outcome(v.outcome),
                         "name": SafeText.terminal(v.name), "citizen": v.citizen,
                         "commune": CommuneCatalogue.shared.commune(v.commune)?.name ?? v.commune,
                         "volunteer": SafeText.terminal(v.volunteer), "kept": v.id == kept, "keep": kept]
                    }]
        }
        try await auditRead(who, page: "duplicates", detail: ["groups": "\(groups.count)"])
        return page("duplicates", ["groups": Array(groups), "total": t.number(report.groups.count)], request: request, signedIn: who)
    }

    /// Devices of the area: activity, last sync, backlog, stale and revoked ones; and the form that issues codes.
    func devices(_ request: Request, _ context: HubRequestContext, newCode: String?) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let filter = try ReportFilter().limited(to: who.device.scope)
        let report = try await service.devicesReport(filter, staleDays: 7, now: service.clock.now())
        // This hub's release is the latest a laptop can have: older ones are told apart.
        let latest = ReleaseVersion(FieldSyncVersion.current) ?? ReleaseVersion("0")
        let behind = Set(report.devices.filter { d in latest.map(d.needsUpdate(to:)) ?? false }.map(\.device))
        // Stale devices come first; a page stays light with the first 200 (the devices export has them all).
        var values: [String: Any] = [
            "own_commune": who.device.scope.commune ?? "", "total": t.number(report.devices.count),
            "roles": Role.allCases.map { ["code": $0.rawValue, "label": t.role($0.rawValue)] },
            "devices": report.devices.prefix(200).map { d -> [String: Any] in
                ["id": d.device, "name": SafeText.terminal(d.volunteer ?? d.device), "role": t.role(d.role),
                 "scope": [d.communeName ?? d.commune, d.team].compactMap { $0 }.joined(separator: " · "),
                 "last_sync": d.lastSync.map(t.time) ?? t["never"], "visits": t.number(d.visits),
                 "backlog": d.unsynced.map(t.number) ?? "—", "stale": d.stale, "flag": d.stale && !d.revoked, "revoked": d.revoked,
                 "version": d.clientVersion.map { v in d.clientVersionAt.map { "\(v) (\(t["since"]) \(t.time($0)))" } ?? v } ?? "—",
                 "needs_update": behind.contains(d.device)]
            },
        ]
        if !behind.isEmpty { values["behind"] = t.format("devices_behind", t.number(behind.count), FieldSyncVersion.current) }
        if let newCode {
            values["new_code"] = newCode
            values["new_code_qr"] = QRCode(alphanumeric: newCode)?.svg(label: newCode) ?? ""
        }
        return page("devices", values, request: request, signedIn: who)
    }

    /// The period of a page from `since` and `until` (Vietnam days, `until` included), limited to the scope.
    static func period(_ request: Request, scope: Scope, commune: String? = nil) throws -> (ReportFilter, String?, String?) {
        let q = ConsoleForm(query: request)
        let since = try q.text("since").map(isoDay), until = try q.text("until").map(isoDay)
        // The day after `until`, so the last day counts whole.
        let end = until.flatMap { VietnamTime.start(ofDay: $0) }.flatMap(ISODate.parseCanonical).map { ISODate.format($0.addingTimeInterval(86_400)) }
        var filter = try ReportFilter.parsing(since: since.flatMap(VietnamTime.start(ofDay:)), until: end, province: nil, commune: commune)
        filter = try filter.limited(to: scope)
        return (filter, since, until)
    }

    /// A day as people type it (`25/11/2026`) or as a date field sends it (`2026-11-25`), as `2026-11-25`.
    /// - Throws: `ConsoleError.badDate`.
    static func isoDay(_ text: String) throws -> String {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        var day = text
        if parts.count == 3, parts[2].count == 4, let d = Int(parts[0]), let m = Int(parts[1]), let y = Int(parts[2]) {
            day = String(format: "%04d-%02d-%02d", y, m, d)
        }
        // A real day: it starts at a Vietnam midnight that is this day again (30/02 is refused).
        guard let start = VietnamTime.start(ofDay: day), VietnamTime.dayStarting(at: start) == day else {
            throw ConsoleError.badDate(SafeText.quote(text))
        }
        return day
    }

    static func periodText(since: String?, until: String?, _ t: Catalogue) -> String {
        func day(_ d: String) -> String { VietnamTime.start(ofDay: d).map { String(VietnamTime.display(canonical: $0).prefix(10)) } ?? d }
        switch (since, until) {
        case (nil, nil): return t["all"]
        case (let s?, nil): return "\(t["from"]) \(day(s))"
        case (nil, let u?): return "\(t["to"]) \(day(u))"
        case (let s?, let u?): return "\(day(s)) – \(day(u))"
        }
    }

    /// One audit line per page of personal data a coordinator views: who, where, which page and counts, never the data.
    func auditRead(_ who: SignedIn, page: String, detail: [String: String]) async throws {
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .read, scope: who.device.scopeText,
                                                  detail: detail.merging(["login": who.session.login, "page": page]) { $1 })])
    }
}
