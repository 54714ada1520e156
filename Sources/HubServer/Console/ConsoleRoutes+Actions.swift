import FieldModel
import Foundation
import Hummingbird
import HubCore
import HubReports
import HubSQLite
import Localization
import SyncCore
import SyncProtocol
import TextSafety

extension ConsoleRoutes {
    /// Resolves a conflict entry with one click: keep what the merge kept, or take the other side.
    func resolve(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let t = Catalogue(request: request)
        let id = String((context.parameters.get("id") ?? "").prefix(80))
        let line = try await service.conflict(id, scope: who.device.scope)
        let choice: ConflictChoice
        var carried = ["choice": form["choice"] ?? ""]
        switch form["choice"] {
        case "keep": choice = .keep
        case "take": choice = .take
        case "fields":
            choice = try Self.choice(form, for: line)
            carried.merge(form.fields(prefixed: "f.")) { $1 }
            carried.merge(form.fields(prefixed: "v.")) { $1 }
        default: throw ConsoleError.badForm("choice")
        }
        guard form["confirm"] == "yes" else {
            let citizen = line.citizen ?? String(line.record.suffix(8))
            let text = switch choice {
            case .keep: t.format("confirm_keep_text", citizen)
            case .take: t.format("confirm_take_text", citizen)
            case .set: t.format("confirm_set_text", citizen)
            }
            return confirmation(request, who, heading: t["confirm_resolve"], text: text, action: "/console/conflicts/\(line.id)/resolve",
                                fields: carried, button: t["confirm_resolve"], back: "/console/conflicts?status=open")
        }
        let (resolved, again) = try await service.resolveConflict(line.id, choice: choice, by: who.session.login, device: who.device.id,
                                                                  scope: who.device.scope)
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .conflictResolve, scope: Device.text(of: Scope(commune: resolved.commune)),
                                                  detail: ["login": who.session.login, "visit": resolved.record, "conflict": resolved.id,
                                                           "choice": choice.name])])
        context.logger.info("conflict resolved in the console", metadata: [
            "login": "\(who.session.login)", "conflict": "\(resolved.id)", "choice": "\(choice.name)", "again": "\(again)",
        ])
        return Response.redirect(to: "/console/conflicts?status=resolved#conflict-\(resolved.id)", type: .normal)
    }

    /// The choice a per-field form makes: every field as the merge kept it is `keep`, every field from the other
    /// side is `take`, anything else (a mix, or a typed value) sets the chosen values.
    static func choice(_ form: ConsoleForm, for line: MergeReport.ConflictLine) throws -> ConflictChoice {
        var values: [String: FieldValue] = [:]
        var kept = 0, taken = 0
        for f in line.fields {
            switch form["f." + f.field] {
            case "stored"?: values[f.field] = f.stored?.value ?? .null
            case "incoming"?: values[f.field] = f.incoming?.value ?? .null
            case "typed"? where typable.contains(f.field):
                guard let typed = form.text("v." + f.field) else { throw ConsoleError.badForm("v." + f.field) }
                values[f.field] = try Hub.typedValue(typed, for: f.field)
                continue
            default: throw ConsoleError.badForm("f." + f.field)
            }
            if (form["f." + f.field] == "stored") == (f.winner == .stored) { kept += 1 } else { taken += 1 }
        }
        if values.count == kept { return .keep }
        if values.count == taken { return .take }
        return .set(values)
    }

    /// Deletes a repeat visit of a citizen and service, keeping the one named.
    func resolveDuplicate(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        guard let duplicate = form.text("duplicate"), let keep = form.text("keep") else { throw ConsoleError.badForm("duplicate, keep") }
        guard form["confirm"] == "yes" else {
            let t = Catalogue(request: request)
            let detail = try await service.visit(duplicate, scope: who.device.scope)
            let text = t["confirm_duplicate_text"].replacingOccurrences(of: "%1", with: detail.visit.name)
                .replacingOccurrences(of: "%2", with: t.time(detail.visit.visitedAt)).replacingOccurrences(of: "%3", with: String(keep.suffix(8)))
            return confirmation(request, who, heading: t["confirm_duplicate"], text: text, action: "/console/duplicates/resolve",
                                fields: ["duplicate": duplicate, "keep": keep], button: t["delete_duplicate"], back: "/console/duplicates")
        }
        try await service.resolveDuplicate(duplicate, keeping: keep, by: who.session.login, scope: who.device.scope)
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .duplicateResolve, scope: who.device.scopeText,
                                                  detail: ["login": who.session.login, "visit": duplicate, "kept": keep])])
        context.logger.info("duplicate resolved in the console", metadata: [
            "login": "\(who.session.login)", "duplicate": "\(duplicate)", "kept": "\(keep)",
        ])
        return Response.redirect(to: "/console/duplicates", type: .normal)
    }

    /// Issues an enrolment code inside the coordinator's area and shows it once.
    func issueCode(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let role: Role
        switch form["role"] {
        case "volunteer": role = .volunteer
        case "coordinator": role = .coordinator
        default: throw ConsoleError.badForm("role")
        }
        guard let days = form.text("days").flatMap(Int.init), (1...30).contains(days) else { throw ConsoleError.badForm("days: 1–30") }
        var scope = who.device.scope
        if let code = form.text("commune") {
            let commune: Commune
            do { commune = try CommuneCatalogue.shared.validate(code) } catch { throw ConsoleError.badForm("\(error)") }
            guard who.device.scope.covers(commune: commune.code) else {
                throw HubError.outOfScope("commune \(commune.code) is outside this coordinator's area")
            }
            scope = Scope(team: scope.team, commune: commune.code)
        } else if role == .volunteer {
            throw ConsoleError.badForm("commune")
        }
        if let team = form.text("team") {
            // A coordinator reads a whole commune (reports ignore a team): a coordinator's code names none.
            guard role == .volunteer else { throw ConsoleError.badForm(Catalogue(request: request)["coordinator_no_team"]) }
            do { scope.team = try TeamCode.validate(team) } catch { throw ConsoleError.badForm("\(error)") }
            guard who.device.scope.team == nil || who.device.scope.team == scope.team else {
                throw HubError.outOfScope("team \(SafeText.quote(team)) is outside this coordinator's area")
            }
        }
        if role == .volunteer && scope.team == nil { throw ConsoleError.badForm(Catalogue(request: request)["team"]) }
        let code = try await service.createEnrollmentCode(role: role, scope: scope, validFor: TimeInterval(days) * 86_400)
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .enrol, scope: Device.text(of: scope),
                                                  detail: ["login": who.session.login, "code": "issued", "role": role.rawValue])])
        context.logger.info("enrolment code issued in the console", metadata: [
            "login": "\(who.session.login)", "role": "\(role.rawValue)", "scope": "\(scope.commune ?? scope.province ?? "all")",
        ])
        return try await devices(request, context, newCode: code)
    }

    /// Revokes a device of the coordinator's area.
    func revoke(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let id = String((context.parameters.get("id") ?? "").prefix(80))
        guard let device = try await service.devices().first(where: { $0.id == id }),
              Self.inside(device.scope, who.device.scope)
        else { throw HubError.notFound("no device \(SafeText.quote(id)) in this coordinator's area") }
        guard form["confirm"] == "yes" else {
            let t = Catalogue(request: request)
            return confirmation(request, who, heading: t["confirm_revoke"],
                                text: "\(SafeText.terminal(device.volunteer ?? device.id)) · \(device.scopeText): \(t["revoke_confirm"])",
                                action: "/console/devices/\(device.id)/revoke", fields: [:], button: t["revoke"], back: "/console/devices")
        }
        try await service.revoke(device: id)
        try await service.appendAudit([AuditDraft(actor: who.device.id, action: .revoke, scope: device.scopeText,
                                                  detail: ["login": who.session.login, "device": id])])
        context.logger.info("device revoked in the console", metadata: ["login": "\(who.session.login)", "device": "\(id)"])
        return Response.redirect(to: "/console/devices", type: .normal)
    }

    /// The page that asks before an action: the same form again, with `confirm=yes`, and a way back.
    func confirmation(_ request: Request, _ who: SignedIn, heading: String, text: String, action: String, fields: [String: String],
                      button: String, back: String) -> Response {
        page("confirm", ["heading": heading, "text": text, "action": action, "button": button, "back": back,
                         "fields": fields.sorted { $0.key < $1.key }.map { ["name": $0.key, "value": $0.value] }],
             request: request, signedIn: who)
    }

    /// Whether a device's scope lies inside a coordinator's.
    static func inside(_ scope: Scope, _ area: Scope) -> Bool {
        if let commune = scope.commune { return area.covers(commune: commune) && (area.team == nil || area.team == scope.team) }
        if let province = scope.province { return area.commune == nil && (area.province == nil || area.province == province) }
        return area.isWholeCountry
    }

    /// Accepts, returns for correction or rejects a visit (issue 33): the hub's own write, back on the laptop at its next sync.
    func reviewVisit(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let id = String((context.parameters.get("id") ?? "").prefix(64))
        guard let state = form["state"].flatMap(ReviewState.init(rawValue:)) else {
            throw HubError.invalidRequest("choose accepted, needs-correction or rejected")
        }
        let decision = try ReviewDecision(state, comment: form["comment"])
        _ = try await service.review(id, decision, scope: who.device.scope, by: who.session.login)
        return Response.redirect(to: "/console/visits/\(id)", type: .normal)
    }

    /// One decision for the visits (or training sessions) ticked on a page; back to that page.
    func reviewPage(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits, bytes: 64 * 1024)
        let who = try await signedIn(context, form: form)
        guard let state = form["state"].flatMap(ReviewState.init(rawValue:)) else {
            throw HubError.invalidRequest("choose accepted, needs-correction or rejected")
        }
        let decision = try ReviewDecision(state, comment: form["comment"])
        let ids = form.fields(prefixed: "v.").filter { $0.value == "1" }.map { String($0.key.dropFirst(2)) }.sorted()
        guard !ids.isEmpty else { throw HubError.invalidRequest("tick the visits the decision is for") }
        guard ids.count <= 500 else { throw HubError.invalidRequest("at most 500 visits at a time") }
        for id in ids { _ = try await service.review(id, decision, scope: who.device.scope, by: who.session.login) }
        // Back to the page the decision came from (the queue, or a sample with its seed), never elsewhere.
        let back = form["back"].flatMap { back in
            ["/console/visits?", "/console/sessions"].contains { back.hasPrefix($0) } && !back.contains("//") && back.utf8.count <= 2_000 ? back : nil
        }
        return Response.redirect(to: back ?? "/console/visits?review=queue", type: .normal)
    }
}
