import FieldModel
import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import RecordKinds
import SyncCore
import WebUI

// The pages that list: today, search, households and follow-ups, flagged visits, training sessions.
extension AppRoutes {
    func today(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let now = Date()
            let day = VietnamTime.day(of: now)
            let start = VietnamTime.start(ofDay: day).flatMap { ISODate.parseCanonical($0) } ?? now.addingTimeInterval(-86_400)
            let snapshot = try opened.snapshot(store)
            let visits = snapshot.visits.filter { $0.visit.visitedAt >= start }
            let status = try store.status()
            let due = FieldStore.dueFollowUps(snapshot.visits, households: snapshot.households, team: store.profile.team)
            let overdue = due.filter { (VietnamTime.day(ofCanonical: $0.on) ?? $0.on) < day }.count
            let dueToday = due.filter { (VietnamTime.day(ofCanonical: $0.on) ?? $0.on) == day }.count
            let header = try Self.header(store)
            let cards: [[String: String]] = [
                ["label": t["app_card_today"], "value": t.number(visits.count)],
                ["label": t["app_card_unsynced"], "value": t.number(status.unsynced)],
                ["label": t["app_card_due"], "value": t.format("app_card_due_value", t.number(dueToday), t.number(overdue))],
                ["label": t["app_card_last_sync"], "value": status.lastSync.map { t.time($0) } ?? t["never"]],
            ]
            let mine = try store.ownReplicas()
            let conflicts = try store.conflicts().suffix(20).reversed().compactMap { conflict in
                try SyncClient.describe(conflict, mine: mine, store, t).map { ["id": conflict.record, "text": $0] }
            }.prefix(5)
            let rows = Self.visitRows(visits, snapshot.households, t)
            let dueRows = Self.dueRows(Array(due.prefix(8)), today: day, t)
            let returned: [[String: String]] = FieldStore.needsCorrection(snapshot.visits).map { stored, review in
                ["id": stored.visit.id, "text": t.format("app_review_line", stored.visit.citizenName, t.service(stored.visit.service.rawValue),
                                                         review.comment ?? t.review(review.state.rawValue))]
            }
            let values: [String: Any] = [
                "heading": t.format("app_today_heading", t.day(day)), "area": Self.area(store, t), "cards": cards,
                "flag_line": t.format("app_flag_line", t.number(header.flags)), "visits": rows, "visits_any": !rows.isEmpty,
                "due": dueRows, "due_any": !dueRows.isEmpty, "conflicts": Array(conflicts), "conflicts_any": !conflicts.isEmpty,
                "returned": returned, "returned_any": !returned.isEmpty,
            ]
            return AppPages.page("today", values, t: t, csrf: csrf, header: header)
        }
    }

    func search(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let query = FormFields(request.uri.query ?? "")
        let words = query.text("q"), dayText = query.text("day")
        return try await withStore { store in
            var values: [String: Any] = ["q": words ?? "", "day": dayText ?? ""]
            guard words != nil || dayText != nil else {
                return AppPages.page("search", values, t: t, csrf: csrf, header: try Self.header(store))
            }
            let snapshot = try opened.snapshot(store)
            var found = snapshot.visits
            do {
                if let dayText {
                    let day = VietnamTime.day(of: try ISODate.parse(dayText))
                    found = found.filter { VietnamTime.day(of: $0.visit.visitedAt) == day }
                }
            } catch {
                values["error"] = AppPages.describe(error, t)
                return AppPages.page("search", values, t: t, csrf: csrf, header: try Self.header(store), status: .unprocessableContent)
            }
            if let words {
                // The store's own search rule, and a household's address or head finds the visits made there too.
                let search = VisitSearch(words)
                let households = Set(FieldStore.households(snapshot.households, matching: words).map(\.id))
                found = found.filter { stored in
                    search?.matches(stored) == true || households.contains(stored.visit.household ?? "")
                }
            }
            let shown = Array(found.prefix(200))
            let rows = Self.visitRows(shown, snapshot.households, t)
            values["searched"] = true
            values["found"] = found.count > shown.count ? t.format("app_found_cut", t.number(found.count), t.number(shown.count))
                : t.format("app_found", t.number(found.count))
            values["visits"] = rows
            values["visits_any"] = !rows.isEmpty
            return AppPages.page("search", values, t: t, csrf: csrf, header: try Self.header(store))
        }
    }

    func due(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let query = FormFields(request.uri.query ?? "")
        let village = query.text("village"), unvisited = query["unvisited"] == "1"
        return try await withStore { store in
            let day = VietnamTime.day(of: Date())
            let snapshot = try opened.snapshot(store)
            let due = FieldStore.dueFollowUps(snapshot.visits, households: snapshot.households, team: store.profile.team)
            let dueRows = Self.dueRows(Array(due.prefix(Self.listLimit)), today: day, t)
            var households = snapshot.households
            if let village { households = households.filter { VietnameseText.fold($0["village"]?.value.text ?? "").contains(VietnameseText.fold(village)) } }
            var visitsAt: [String: Int] = [:]
            for stored in snapshot.visits { if let household = stored.visit.household { visitsAt[household, default: 0] += 1 } }
            if unvisited { households = households.filter { visitsAt[$0.id] == nil } }
            let shown = households.prefix(Self.listLimit)
            let rows: [[String: String]] = shown.map { household in
                var adults = ""
                if case .int(let n)? = household["adults"]?.value { adults = t.number(Int(n)) }
                return ["village": household["village"]?.value.text ?? "", "line": FieldStore.householdLine(household), "adults": adults,
                        "visits": t.number(visitsAt[household.id] ?? 0), "key": household.id]
            }
            let dueLine: String? = due.count > dueRows.count ? t.format("app_due_cut", t.number(due.count), t.number(dueRows.count)) : nil
            let householdsCut: String? = households.count > shown.count ? t.format("app_households_cut", t.number(shown.count)) : nil
            let values: [String: Any] = [
                "due": dueRows, "due_any": !dueRows.isEmpty, "village": village ?? "",
                "due_line": dueLine as Any, "households_cut": householdsCut as Any, "unvisited": unvisited, "households": rows,
                "households_any": !rows.isEmpty,
                "households_line": t.format("app_households_line", t.number(households.count), t.number(households.filter { visitsAt[$0.id] != nil }.count)),
            ]
            return AppPages.page("due", values, t: t, csrf: csrf, header: try Self.header(store))
        }
    }

    func flagged(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let own = try store.scopeCommune()
            let ownName = CommuneCatalogue.shared.commune(own).map { "\($0.name) (\(own))" } ?? own
            let flags: [[String: Any]] = try store.flaggedVisits().map { flag in
                let stored = try store.visit(exactly: flag.record)
                var row: [String: Any] = ["id": flag.record, "short_id": String(flag.record.suffix(8)), "present": stored != nil]
                guard let stored else {
                    row["who"] = t["flagged.not_here"]
                    row["text"] = t.format("flag.refused", flag.message)
                    return row
                }
                let v = stored.visit
                row["who"] = "\(v.citizenName) · \(t.service(v.service.rawValue)) · \(t.time(v.visitedAt))"
                if flag.code == "out_of_scope" {
                    row["text"] = t.format("app_flag_out_of_scope", CommuneCatalogue.shared.commune(v.commune)?.name ?? v.commune, ownName)
                    row["scope"] = t.format("app_fix_scope", ownName)
                } else {
                    row["text"] = try FlagText.message(flag, store: store, t)
                    do {
                        _ = try Visit.validated(stored.state)
                        row["fix_field"] = "name"
                    } catch {
                        row["fix_field"] = VisitForm().field(of: error) ?? "name"
                    }
                }
                return row
            }
            return AppPages.page("flagged", ["flags": flags], t: t, csrf: csrf, header: try Self.header(store))
        }
    }

    func sessions(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let logged = FormFields(request.uri.query ?? "").text("logged")
        return try await withStore { store in
            let kind = try store.kind("session")
            func fieldLabel(_ name: String) -> String { kind.field(name).map { t.words($0.labels) } ?? name }
            let rows: [[String: String]] = try store.records(of: "session").map { session in
                let values = FieldStore.values(of: session)
                let topic = values["topic"]?.text ?? ""
                var attendees = ""
                if case .int(let n)? = values["attendees"] { attendees = t.number(Int(n)) }
                return ["when": t.time(values["heldAt"]?.text), "place": values["place"]?.text ?? "", "attendees": attendees,
                        "topic": kind.field("topic")?.options?.first { $0.code == topic }.map { t.words($0.labels) } ?? topic]
            }
            let values: [String: Any] = [
                "rows": rows, "rows_any": !rows.isEmpty, "place_label": fieldLabel("place"), "topic_label": fieldLabel("topic"),
                "attendees_label": fieldLabel("attendees"), "notice": logged.map { t.format("app_session_logged", String($0.suffix(8))) } as Any,
            ]
            return AppPages.page("sessions", values, t: t, csrf: csrf, header: try Self.header(store))
        }
    }

    func newSession(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            try sessionForm(store, t: t, csrf: csrf, values: ["heldAt": VietnamTime.display(Date()), "commune": try store.scopeCommune()], problem: nil)
        }
    }

    func logSession(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let kind = try store.kind("session")
            let typed = Self.echo(fields)
            do {
                let state = try store.logRecord(kind, try RecordForm.values(kind, typed.filter { kind.field($0.key) != nil }))
                return Self.seeOther("/sessions?logged=\(state.id)")
            } catch let error as InputError {
                return try sessionForm(store, t: t, csrf: csrf, values: typed, problem: (VisitForm().field(of: error) ?? "", error.message(t)),
                                       status: .unprocessableContent)
            }
        }
    }

    func sessionForm(_ store: FieldStore, t: Catalogue, csrf: String?, values: [String: String], problem: (String, String)?,
                     status: HTTPResponse.Status = .ok) throws -> Response {
        let kind = try store.kind("session")
        var view = RecordFormView(kind: kind, t: t)
        view.values = values
        // A session's own names: its date and time is `heldAt` in the form as in the kind.
        view.problem = problem.map { ($0.0 == "at" ? "heldAt" : $0.0, $0.1) }
        let page: [String: Any] = [
            "heading": t["app_session_new"], "title": t["app_session_new"], "action": "/sessions", "fields": view.fields(),
            "error": problem?.1 as Any, "submit": t["app_save"], "cancel": "/sessions",
        ]
        return AppPages.page("form", page, t: t, csrf: csrf, header: try Self.header(store), status: status)
    }

    /// The most rows a list shows; the page says how many more there are.
    static let listLimit = 200

    /// Rows of the visit table.
    static func visitRows(_ visits: [StoredVisit], _ households: [RecordState], _ t: Catalogue) -> [[String: String]] {
        let households = Dictionary(households.map { ($0.id, FieldStore.householdLine($0)) }) { first, _ in first }
        return visits.map { stored in
            let v = stored.visit
            return ["id": v.id, "when": t.time(v.visitedAt), "name": v.citizenName, "service": t.service(v.service.rawValue),
                    "outcome": t.outcome(v.outcome.rawValue) + (v.reason.map { " — " + t.reason($0.rawValue) } ?? ""),
                    "household": v.household.flatMap { households[$0] } ?? ""]
        }
    }

    /// Rows of the follow-up table.
    static func dueRows(_ due: [DueFollowUp], today: String, _ t: Catalogue) -> [[String: Any]] {
        due.map { item in
            let day = VietnamTime.day(ofCanonical: item.on) ?? item.on
            let state = day < today ? "overdue" : day == today ? "today" : "upcoming"
            return ["id": item.visit.id, "on": t.day(day), "state": t["due." + state], "overdue": state == "overdue", "name": item.visit.citizenName,
                    "service": t.service(item.visit.service.rawValue), "reason": item.visit.reason.map { t.reason($0.rawValue) } as Any,
                    "household": item.household.map(FieldStore.householdLine) ?? ""]
        }
    }

    /// The laptop's commune and team in words.
    static func area(_ store: FieldStore, _ t: Catalogue) -> String {
        let commune = store.profile.commune
        return (CommuneCatalogue.shared.commune(commune).map { "\($0.name) (\(commune))" } ?? commune) + " · " + t["team"] + " " + store.profile.team
    }
}
