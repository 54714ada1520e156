import FieldModel
import Hummingbird
import HubCore
import Localization
import SyncProtocol
import TextSafety

extension ConsoleRoutes {
    /// The villages and residential groups of the coordinator's area and the team covering each, with a form to add one
    /// (or change its team) and one to remove one (issue 31).
    func villages(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        return try await villagesPage(request, who: who)
    }

    /// Adds or changes a village (`action=save`), or removes one (`action=remove`), then shows the list again.
    func changeVillage(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits)
        let who = try await signedIn(context, form: form)
        let t = Catalogue(request: request)
        let scope = who.device.scope
        let commune = scope.commune ?? form["commune"] ?? ""
        let actor = who.device.id + " (" + who.session.login + ")"
        do {
            if form["action"] == "remove" {
                let found = try await service.village(named: form["village"] ?? "", commune: commune, scope: scope)
                try await service.removeVillage(found, scope: scope, by: actor)
            } else {
                _ = try await service.saveVillage(Village(commune: commune, name: form["name"] ?? "", code: form["code"], team: form["team"]),
                                                  scope: scope, by: actor)
            }
        } catch let error as InputError {
            throw ConsoleError.badForm(error.message(t))
        }
        return try await villagesPage(request, who: who, status: .ok)
    }

    private func villagesPage(_ request: Request, who: SignedIn, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Catalogue(request: request)
        let villages = try await service.villages(in: who.device.scope)
        let rows = villages.map { village -> [String: Any] in
            ["commune": t.value(.text(village.commune), of: "commune"), "commune_code": village.commune,
             "name": SafeText.terminal(village.name), "code": village.code ?? "", "team": village.team ?? "",
             "no_team": village.team == nil, "key": village.code ?? village.name]
        }
        return page("villages", ["area": area(who.device.scope, t), "rows": rows, "has_rows": !rows.isEmpty,
                                 "ask_commune": who.device.scope.commune == nil], request: request, signedIn: who, status: status)
    }
}
