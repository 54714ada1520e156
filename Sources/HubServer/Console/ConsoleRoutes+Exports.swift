import FieldModel
import Foundation
import Hummingbird
import HubReports
import HubCore
import HubSQLite
import Localization
import NIOCore
import SyncProtocol

extension ConsoleRoutes {
    /// The files a coordinator may download: one table per CSV file, and the visits as XLSX.
    static let exportFiles = ["visits.xlsx", "visits-people.csv", "visits.csv", "sessions.xlsx", "sessions-people.csv", "sessions.csv",
                              "conflicts.csv", "progress.csv", "coverage.csv", "devices.csv"]
    /// Visits one XLSX holds at most (it is built in memory); CSV streams any number.
    static let xlsxRowLimit = 200_000

    func exports(_ request: Request, _ context: HubRequestContext, extra: [String: Any] = [:]) async throws -> Response {
        let who = try await signedIn(context)
        let (_, since, until) = try Self.period(request, scope: who.device.scope)
        var period = URLComponents()
        period.queryItems = [since.map { URLQueryItem(name: "since", value: $0) }, until.map { URLQueryItem(name: "until", value: $0) }].compactMap { $0 }
        let suffix = period.queryItems?.isEmpty == false ? "?" + (period.percentEncodedQuery ?? "") : ""
        let t = Catalogue(request: request)
        let lang = suffix.isEmpty ? "?lang=\(t.language.rawValue)" : "&lang=\(t.language.rawValue)"
        let values: [String: Any] = ["since": since ?? "", "until": until ?? "",
                                     "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? "",
                                     "files": Self.exportFiles.map { ["href": "/console/exports/\($0)\(suffix)\(lang)", "label": t["export." + $0],
                                                                      "file": $0] }]
        return page("exports", values.merging(extra) { $1 }, request: request, signedIn: who)
    }

    /// Replaces the area's targets with what was pasted from a spreadsheet; every bad line is named.
    func saveTargets(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let text = form["targets"] ?? ""
        var targets: Targets
        do {
            if let typed = form["share"] {
                // VNeID level 2 targets from the household lists, the other services' targets kept (issue 31).
                guard let share = Targets.share(typed) else { throw ConsoleError.badShare(typed) }
                let derived = Targets.fromHouseholds(try await coverageCache.lines(in: who.device.scope, now: service.clock.now(), storage: service), share: share)
                targets = derived.filling(from: try await service.targets(who.device.scope))
            } else {
                targets = try Targets(csv: text)
            }
        } catch let error as ConsoleError {
            var response = try await exports(request, context, extra: ["targets_error": error.text(Catalogue(request: request))])
            response.status = .badRequest
            return response
        } catch let error as TargetsError {
            var response = try await exports(request, context, extra: ["targets_error": error.description, "targets_text": text])
            response.status = .badRequest
            return response
        }
        try await service.replaceTargets(targets, scope: who.device.scope)
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .targets, scope: who.device.scopeText,
                                                  detail: ["login": who.session.login, "targets": "\(targets.count)"])])
        context.logger.info("targets replaced in the console", metadata: ["login": "\(who.session.login)", "targets": "\(targets.count)"])
        return try await exports(request, context, extra: ["targets_saved": Catalogue(request: request).number(targets.count)])
    }

    func export(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let (filter, _, _) = try Self.period(request, scope: who.device.scope)
        let file = context.parameters.get("file") ?? ""
        context.logger.info("console export", metadata: ["login": "\(who.session.login)", "file": "\(file)"])
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .export, scope: who.device.scopeText, detail: [
            "login": who.session.login, "file": String(file.prefix(40)), "since": filter.since ?? "", "until": filter.until ?? "",
        ])])
        switch file {
        case "visits.csv": return visitsCSV(filter, try await catalogue(request), people: false)
        case "visits-people.csv": return visitsCSV(filter, try await catalogue(request), people: true,
                                                   separator: request.uri.queryParameters["separator"] == ";" ? ";" : ",")
        case "visits.xlsx": return try await visitsXLSX(filter, try await catalogue(request))
        case "sessions.csv", "sessions-people.csv", "sessions.xlsx":
            // Training sessions (§12), in the period, labelled by the session kind's latest version.
            guard let kind = PublishedKind.latest("session", in: try await service.kinds()) else { throw HubError.notFound("no kind session") }
            let t = Catalogue(request: request)
            let states = try await service.kindRecords("session", scope: who.device.scope, since: filter.since, until: filter.until,
                                                       limit: Self.xlsxRowLimit).map(\.state)
            if file == "sessions.xlsx" {
                let data = try await Self.offPool { Result { try KindSheet.workbook(states, kind, t) } }.get()
                return Response(status: .ok, headers: Self.downloadHeaders(
                    name: file, type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
            }
            let people = file == "sessions-people.csv"
            var csv = CSVWriter(header: people ? KindSheet.peopleColumns(kind, t) : KindSheet.programColumns(kind),
                                separator: people && request.uri.queryParameters["separator"] == ";" ? ";" : ",")
            for state in states { csv.row(people ? KindSheet.peopleRow(state, kind, t) : KindSheet.programRow(state, kind)) }
            return Self.download(csv.output, name: file)
        case "conflicts.csv":
            var csv = CSVWriter(header: ["conflict", "kind", "visit", "commune", "citizen", "field", "value_a", "by_a", "value_b", "by_b",
                                         "kept", "found_at", "resolution", "resolved_by", "resolved_at"])
            for c in try await service.conflicts(status: .all, since: filter.since, until: filter.until, scope: who.device.scope) {
                for f in c.fields {
                    csv.row([c.id, c.kind, c.record, c.commune ?? "", c.citizen ?? "", f.field, MergeReport.text(f.stored?.value),
                             f.stored.map { $0.volunteer ?? $0.device ?? "hub" } ?? "", MergeReport.text(f.incoming?.value),
                             f.incoming.map { $0.volunteer ?? $0.device ?? "hub" } ?? "",
                             MergeReport.text((f.winner == .stored ? f.stored : f.incoming)?.value), c.foundAt,
                             c.resolution?.choice ?? "", c.resolution?.by ?? "", c.resolution?.at ?? ""])
                }
            }
            return Self.download(csv.output, name: file)
        case "progress.csv":
            var csv = CSVWriter(header: ["province", "province_name", "commune", "commune_name", "service", "visits", "done", "pending",
                                         "failed", "citizens"])
            for province in try await service.progressReport(filter, targets: nil).provinces {
                for commune in province.communes {
                    for line in commune.services {
                        let n = line.counts
                        csv.row([province.province, province.name, commune.commune, commune.name, line.service, "\(n.visits)", "\(n.done)",
                                 "\(n.pending)", "\(n.failed)", "\(n.citizens)"])
                    }
                }
            }
            return Self.download(csv.output, name: file)
        case "coverage.csv":
            // Coverage by village (issue 31): the report's main table for programs.
            var csv = CSVWriter(header: ["commune", "village", "households", "visited", "adults", "level2_pending", "level2_done", "due", "overdue"])
            for line in try await coverageCache.lines(in: who.device.scope, now: service.clock.now(), storage: service) {
                csv.row([line.commune, line.village, "\(line.households)", "\(line.visited)", "\(line.adults)", "\(line.level2Pending)",
                         "\(line.level2Done)", "\(line.due)", "\(line.overdue)"])
            }
            return Self.download(csv.output, name: file)
        case "devices.csv":
            var csv = CSVWriter(header: ["device", "role", "volunteer", "team", "commune", "commune_name", "last_sync", "visits", "unsynced",
                                         "stale", "revoked"])
            for d in try await service.devicesReport(filter, staleDays: 7, now: service.clock.now()).devices {
                csv.row([d.device, d.role, d.volunteer ?? "", d.team ?? "", d.commune ?? "", d.communeName ?? "", d.lastSync ?? "",
                         "\(d.visits)", d.unsynced.map(String.init) ?? "", d.stale ? "yes" : "no", d.revoked ? "yes" : "no"])
            }
            return Self.download(csv.output, name: file)
        default:
            throw HubError.notFound("no export \(file): \(Self.exportFiles.joined(separator: ", "))")
        }
    }

    /// Every visit of the filter as CSV, streamed page by page: for programs (codes, UTC ISO 8601 times, as the API), or
    /// for people in their language (labels, Vietnam time; `;` between cells when asked).
    func visitsCSV(_ filter: ReportFilter, _ t: Catalogue, people: Bool, separator: Character = ",") -> Response {
        let service = self.service
        let body = ResponseBody { writer in
            var csv = CSVWriter(header: people ? VisitSheet.peopleColumns(t) : VisitSheet.programColumns(t), separator: separator)
            try await Self.forEachPage(of: filter, in: service) { visits in
                for v in visits { csv.row(people ? VisitSheet.peopleRow(v, t) : VisitSheet.programRow(v, t)) }
                try await writer.write(ByteBuffer(string: csv.take()))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: Self.downloadHeaders(name: people ? "visits-people.csv" : "visits.csv",
                                                                   type: "text/csv; charset=utf-8"), body: body)
    }

    /// Every visit of the filter as a workbook: a sheet for people (labels, Vietnam time as dates, codes and phones as
    /// text, widths, a filter row, a frozen header) and the same visits with codes for programs.
    func visitsXLSX(_ filter: ReportFilter, _ t: Catalogue) async throws -> Response {
        var visits: [VisitLine] = []
        try await Self.forEachPage(of: filter, in: service) { page in
            visits += page
            guard visits.count <= Self.xlsxRowLimit else {
                throw HubError.invalidRequest("more than \(Self.xlsxRowLimit) visits for one XLSX file: choose a shorter period or use visits.csv")
            }
        }
        let data = try await Self.offPool { [visits] in Result { try VisitSheet.workbook(visits, t) } }.get()
        return Response(status: .ok, headers: Self.downloadHeaders(
            name: "visits.xlsx", type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// Every visit of the filter, a page of 500 at a time, newest changes first.
    static func forEachPage(of filter: ReportFilter, in service: any HubStorage,
                            _ body: ([VisitLine]) async throws -> Void) async throws {
        var query = VisitQuery(filter: filter, limit: 500)
        while true {
            let page = try await service.visits(query)
            try await body(page.visits)
            guard let next = page.next else { return }
            query.before = next
        }
    }

    static func download(_ text: String, name: String) -> Response {
        Response(status: .ok, headers: downloadHeaders(name: name, type: "text/csv; charset=utf-8"),
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func downloadHeaders(name: String, type: String) -> HTTPFields {
        [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\"", .cacheControl: "no-store",
         .xContentTypeOptions: "nosniff"]
    }
}
