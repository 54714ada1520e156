import FieldModel
import Hummingbird
import HubCore
import Localization
import SyncProtocol
import TextSafety

extension ConsoleRoutes {
    /// A commune's household list pasted from its spreadsheet (issue 31): a preview of what it creates and updates, every
    /// wrong line named, then the import; and the households each village has.
    func households(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        return try await householdsPage(request, who: who, values: ["commune": who.device.scope.commune ?? ""])
    }

    /// Previews (`preview`) or imports (`apply`) a pasted list.
    func importHouseholds(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let form = try await ConsoleForm(request, context, limits: limits, bytes: Self.householdListBytes)
        let who = try await signedIn(context, form: form)
        let t = Catalogue(request: request)
        let text = form["list"] ?? ""
        let commune = who.device.scope.commune ?? form["commune"] ?? ""
        var values: [String: Any] = ["list": text, "commune": commune]
        do {
            let list = try HouseholdList(rows: SheetRows.csv(text))
            let apply = form["apply"] != nil
            let result = try await service.importHouseholds(list, commune: commune, scope: who.device.scope,
                                                            by: who.device.id + " (" + who.session.login + ")", apply: apply)
            values["result"] = t.format(result.applied ? "households_imported" : "households_previewed", t.number(result.created),
                                        t.number(result.updated), t.number(result.unchanged))
            values["problems"] = result.problems.map { ["line": t.number($0.line), "message": SafeText.terminal(Self.text($0.problem, t))] }
            values["has_problems"] = !result.problems.isEmpty
            values["applied"] = result.applied
            if result.applied { values["list"] = "" }
            return try await householdsPage(request, who: who, values: values, status: result.problems.isEmpty ? .ok : .badRequest)
        } catch let error as HubError {
            values["error"] = ConsoleError.text(error, t)
        } catch let error as InputError {
            values["error"] = error.message(t)
        }
        return try await householdsPage(request, who: who, values: values, status: .badRequest)
    }

    /// A wrong line's problem in the person's language.
    static func text(_ problem: HouseholdProblem, _ t: Catalogue) -> String {
        switch problem {
        case .noVillage: t["households_no_village"]
        case .noHead: t["households_no_head"]
        case .unknownVillage(let given, _, let known):
            t.format("households_unknown_village", SafeText.quote(given), known.isEmpty ? t["households_no_villages_yet"] : known.joined(separator: ", "))
        case .sameAs(let line): t.format("households_same_as", t.number(line))
        case .invalid(let error): error.message(t)
        }
    }

    /// The largest pasted list taken (about 10,000 households).
    static let householdListBytes = 1_000_000

    private func householdsPage(_ request: Request, who: SignedIn, values: [String: Any], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Catalogue(request: request)
        let lines = try await coverageCache.lines(in: who.device.scope, now: service.clock.now(), storage: service).filter { !$0.village.isEmpty }
        var values = values
        values["villages"] = lines.map { line -> [String: Any] in
            ["commune": t.value(.text(line.commune), of: "commune"), "village": SafeText.terminal(line.village),
             "households": t.number(line.households), "adults": t.number(line.adults)]
        }
        values["has_villages"] = !lines.isEmpty
        values["one_commune"] = who.device.scope.commune != nil
        return page("households", values, request: request, signedIn: who, status: status)
    }
}
