import FieldModel
import FieldStore
import FieldSyncClient
import Foundation
import Hummingbird
import Localization
import RecordKinds
import SyncCore
import WebUI

// Logging, editing and acting on one visit: the form is read by `VisitForm`, written by `FieldStore.log`/`edit`,
// as `fieldsync log` and `fieldsync edit` do.
extension AppRoutes {
    func newVisit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let query = FormFields(request.uri.query ?? "")
        return try await withStore { store in
            var values = ["at": VietnamTime.display(Date()), "commune": try store.scopeCommune(), "consent": "1"]
            var notice: String?
            var similar: [[String: String]] = []
            if let logged = query.text("logged"), let stored = try store.visit(exactly: logged) {
                notice = t.format("app_logged", stored.visit.citizenName, String(stored.visit.id.suffix(8)))
                let visits = try opened.snapshot(store).visits
                similar = FieldStore.similarVisits(to: stored.visit, raw: stored.rawCitizenID, among: visits, since: Date().addingTimeInterval(-30 * 86_400)).map {
                    ["id": $0.id, "text": "\($0.citizenName) · \(t.service($0.service.rawValue)) · \(t.time($0.visitedAt)) · \(t.outcome($0.outcome.rawValue))"]
                }
                // The next visit at the same door: the household stays.
                if let household = stored.visit.household, let line = try Self.householdLine(store, household) { values["household"] = line }
            }
            if let household = query.text("household"), let line = try Self.householdLine(store, household) { values["household"] = line }
            return try formPage(store, t: t, csrf: csrf, values: values, problem: nil, action: "/visits", notice: notice, similar: similar)
        }
    }

    func logVisit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let typed = Self.visitForm(fields, new: true)
            do {
                let stored = try store.log(try typed.draft(store, consent: fields["consent"] == "1"))
                return Self.seeOther("/visits/new?logged=\(stored.visit.id)")
            } catch {
                guard Self.isInput(error) else { throw error }
                var values = Self.echo(fields)
                values["consent"] = fields["consent"] == "1" ? "1" : "0"
                return try formPage(store, t: t, csrf: csrf, values: values,
                                     problem: (typed.field(of: error) ?? "", AppPages.describe(error, t)), action: "/visits", status: .unprocessableContent)
            }
        }
    }

    func editVisit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let focus = FormFields(request.uri.query ?? "").text("focus")
        return try await withStore { store in
            let stored = try store.visit(id)
            let v = stored.visit
            var values = ["service": v.service.rawValue, "outcome": v.outcome.rawValue, "commune": v.commune, "name": v.citizenName,
                          "cccd": stored.rawCitizenID ?? "", "phone": v.phone ?? "", "reason": v.reason?.rawValue ?? "", "note": v.note,
                          "at": VietnamTime.display(v.visitedAt)]
            if let household = v.household, let line = try Self.householdLine(store, household) { values["household"] = line }
            if let on = v.extra["followUpOn"]?.text, let day = VietnamTime.day(ofCanonical: on) { values["comeBack"] = t.day(day) }
            for (name, value) in v.extra where values[name] == nil && name != "followUpClosed" { values[name] = Self.text(of: value) }
            return try formPage(store, t: t, csrf: csrf, values: values, problem: nil, action: "/visits/\(v.id)/edit", focus: focus,
                                 editing: stored)
        }
    }

    func saveVisit(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let stored = try store.visit(id)
            var typed = Self.visitForm(fields)
            // A CCCD this laptop holds only as a pseudonym is not shown: an empty field keeps it.
            if typed.cccd == "", stored.rawCitizenID == nil { typed.cccd = nil }
            if typed.comeBack == "", stored.visit.extra["followUpOn"] == nil { typed.comeBack = nil }
            if typed.household == "", stored.visit.household == nil { typed.household = nil }
            do {
                let result = try store.edit(stored.visit.id, try typed.changes(store))
                let changed = result.changed.map(\.rawValue) + result.changedExtras
                let note = changed.isEmpty ? "app_unchanged" : "app_saved"
                return Self.seeOther("/visits/\(stored.visit.id)?done=\(note)")
            } catch {
                guard Self.isInput(error) else { throw error }
                return try formPage(store, t: t, csrf: csrf, values: Self.echo(fields), problem: (typed.field(of: error) ?? "", AppPages.describe(error, t)),
                                     action: "/visits/\(stored.visit.id)/edit", editing: stored, status: .unprocessableContent)
            }
        }
    }

    func visitPage(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let t = Catalogue(appRequest: request), csrf = context.formToken
        let done = FormFields(request.uri.query ?? "").text("done").flatMap { ["app_saved", "app_unchanged", "app_deleted", "app_withdrawn", "app_closed_follow_up", "app_moved"].contains($0) ? $0 : nil }
        return try await withStore { store in
            let stored = try store.visit(id)
            let v = stored.visit
            let kind = try store.visitKind()
            let r = t.reading(kind)
            var lines: [[String: String]] = [
                ["label": r.field("service"), "value": r.service(v.service.rawValue)],
                ["label": r.field("outcome"), "value": r.outcome(v.outcome.rawValue) + (v.deleted ? " (" + t["show.deleted"] + ")" : "")],
            ]
            if let reason = v.reason { lines.append(["label": r.field("reason"), "value": r.reason(reason.rawValue)]) }
            let place = CommuneCatalogue.shared.commune(v.commune)
            lines += [
                ["label": r.field("commune"), "value": "\(place?.name ?? v.commune) (\(v.commune))"],
                ["label": r.field("cccd"), "value": stored.rawCitizenID ?? v.citizenID?.masked ?? t["none"]],
                ["label": r.field("phone"), "value": v.phone ?? t["none"]],
                ["label": r.field("note"), "value": v.note.isEmpty ? t["none"] : v.note],
                ["label": r.field("visitedAt"), "value": t.time(v.visitedAt)],
                ["label": r.field("volunteer"), "value": t.format("status.volunteer_team", v.volunteer, v.team)],
                ["label": r.field("consent"), "value": v.consent.map { t.format("consent_given", t.time($0.at), $0.by, $0.policy) } ?? t["none"]],
            ]
            if let household = v.household {
                lines.append(["label": r.field("household"), "value": try Self.householdLine(store, household) ?? household])
            }
            if let on = v.extra["followUpOn"]?.text, let day = VietnamTime.day(ofCanonical: on) {
                lines.append(["label": r.field("followUpOn"), "value": t.day(day) + (v.openFollowUp == nil ? " (" + t["app_follow_up_closed"] + ")" : "")])
            }
            for (name, value) in v.extra.sorted(by: { $0.key < $1.key }) where !["household", "followUpOn", "followUpClosed"].contains(name) {
                lines.append(["label": r.field(name), "value": r.value(value, of: name)])
            }
            let flag = try store.flaggedVisits().first { $0.record == v.id }
            let mine = try store.ownReplicas()
            let conflicts = try store.conflicts().filter { $0.record == v.id }.compactMap { try SyncClient.describe($0, mine: mine, store, t) }
            let values: [String: Any] = [
                "name": v.citizenName, "id": v.id, "short_id": String(v.id.suffix(8)), "lines": lines, "deleted": v.deleted,
                "own": v.volunteer == store.profile.volunteer, "consent": v.consent != nil, "follow_up_open": v.openFollowUp != nil,
                "flag": try flag.map { try FlagText.message($0, store: store, t) } as Any,
                "conflicts": conflicts, "conflicts_any": !conflicts.isEmpty, "title": v.citizenName, "notice": done.map { t[$0] } as Any,
            ]
            return AppPages.page("visit", values, t: t, csrf: csrf, header: try Self.header(store))
        }
    }

    /// Delete, withdraw consent, close the follow-up, or move a visit flagged outside the laptop's commune back to it.
    func visitAction(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let id = try context.parameters.require("id"), action = try context.parameters.require("action")
        let fields = try await form(request, context)
        let t = Catalogue(appRequest: request), csrf = context.formToken
        return try await withStore { store in
            let visit = try store.visit(id).visit
            // What cannot be undone is asked once more, on a page of its own (no script needed).
            if ["delete", "withdraw-consent"].contains(action), fields["confirm"] != "1" {
                let values: [String: Any] = [
                    "heading": t[action == "delete" ? "app_confirm_delete" : "app_confirm_withdraw"], "action": "/visits/\(visit.id)/\(action)",
                    "text": "\(visit.citizenName) · \(t.service(visit.service.rawValue)) · \(t.time(visit.visitedAt))",
                    "button": t[action == "delete" ? "app_delete" : "app_withdraw"], "back": "/visits/\(visit.id)",
                ]
                return AppPages.page("confirm", values, t: t, csrf: csrf, header: try Self.header(store))
            }
            let done: String
            switch action {
            case "delete":
                _ = try store.delete(visit.id)
                done = "app_deleted"
            case "withdraw-consent":
                guard visit.volunteer == store.profile.volunteer else { throw AppError.forgedForm }
                _ = try store.withdrawConsent(visit.id)
                done = "app_withdrawn"
            case "close-follow-up":
                var changes = VisitChanges()
                changes.extra = ["followUpClosed": .bool(true)]
                _ = try store.edit(visit.id, changes)
                done = "app_closed_follow_up"
            case "move-home":
                var changes = VisitChanges()
                changes.commune = try store.scopeCommune()
                _ = try store.edit(visit.id, changes)
                done = "app_moved"
            default:
                throw AppError.notFound
            }
            return Self.seeOther("/visits/\(visit.id)?done=\(done)")
        }
    }

    /// The visit form, filled with `values`, showing `problem` at its field.
    func formPage(_ store: FieldStore, t: Catalogue, csrf: String?, values: [String: String], problem: (String, String)?, action: String,
                   focus: String? = nil, editing: StoredVisit? = nil, notice: String? = nil, similar: [[String: String]] = [],
                   status: HTTPResponse.Status = .ok) throws -> Response {
        let kind = try store.visitKind() ?? Visit.builtInKind
        guard let kind else { throw AppError.notFound }
        var view = RecordFormView(kind: kind, t: t.reading(kind))
        view.values = values
        view.problem = problem
        view.focus = focus
        view.options["service"] = try store.serviceOptions().map { service in
            kind.field("service")?.options?.first { $0.code == service.rawValue } ?? KindOption(code: service.rawValue, labels: .init(vi: service.rawValue, en: service.rawValue))
        }
        view.lists["household"] = try opened.snapshot(store).households.map { household in
            let line = FieldStore.householdLine(household)
            return (line, VietnameseText.fold(line))
        }
        let own = try store.scopeCommune()
        let province = CommuneCatalogue.shared.commune(own)?.provinceCode ?? ""
        view.lists["commune"] = CommuneCatalogue.shared.communes(inProvince: province).map {
            ($0.code, "\($0.name) — \(VietnameseText.fold($0.name))")
        }
        if editing != nil { view.leaveOut = ["consent"] }
        let heading = editing.map { t.format("app_edit_heading", $0.visit.citizenName) } ?? t["app_nav_log"]
        let page: [String: Any] = [
            "heading": heading, "title": heading, "action": action, "fields": view.fields(), "error": problem?.1 as Any,
            "submit": editing == nil ? t["app_save_visit"] : t["app_save"], "cancel": editing.map { "/visits/\($0.visit.id)" } as Any,
            "notice": notice as Any, "similar": similar, "similar_any": !similar.isEmpty,
        ]
        return AppPages.page("form", page, t: t, csrf: csrf, header: try Self.header(store), status: status)
    }

    /// A household's line, or nil when this laptop no longer holds it (removed from the list, or outside the team's villages).
    static func householdLine(_ store: FieldStore, _ id: String) throws -> String? {
        do {
            return FieldStore.householdLine(try store.record(of: "household", id))
        } catch StoreError.visitNotFound {
            return nil
        }
    }

    /// The form's fields as `VisitForm` reads them (absent fields: not given). In a new visit an empty field is
    /// not given either (the time is now, the come-back day the reason's); in an edit it clears the field.
    static func visitForm(_ fields: FormFields, new: Bool = false) -> VisitForm {
        func field(_ name: String) -> String? { new ? fields.text(name) : fields[name] }
        var form = VisitForm()
        (form.service, form.outcome, form.name, form.cccd, form.phone) = (field("service"), field("outcome"), fields["name"], field("cccd"), field("phone"))
        (form.commune, form.reason, form.note, form.at) = (field("commune"), field("reason"), field("note"), field("at"))
        (form.household, form.comeBack) = (field("household"), field("comeBack"))
        let builtIn: Set<String> = ["csrf", "service", "outcome", "name", "cccd", "phone", "commune", "reason", "note", "at", "household", "comeBack", "consent"]
        for (name, value) in fields.fields(prefixed: "") where !builtIn.contains(name) { form.published[name] = value }
        return form
    }

    /// The fields as typed, to show again with an error.
    static func echo(_ fields: FormFields) -> [String: String] {
        fields.fields(prefixed: "").filter { $0.key != "csrf" }
    }

    /// Whether an error is the person's input (shown at its field) rather than a fault of the store.
    static func isInput(_ error: any Error) -> Bool {
        if error is InputError { return true }
        if case StoreError.householdNotFound? = error as? StoreError { return true }
        if case StoreError.householdAmbiguous? = error as? StoreError { return true }
        return false
    }

    /// A field's value as a form shows it.
    static func text(of value: FieldValue) -> String {
        switch value {
        case .text(let text): text
        case .int(let number): String(number)
        case .bool(let flag): flag ? "1" : "0"
        default: ""
        }
    }
}
