import Hummingbird
import HubCore
import Localization
import RecordKinds
import TextSafety

extension ConsoleRoutes {
    /// The record kinds the hub knows, each at its latest version: fields in the person's language with their type,
    /// rules and options (retired ones marked), and who published the version.
    func kinds(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        let vi = t.language == .vietnamese
        func label(_ labels: KindLabels) -> String { SafeText.terminal(vi ? labels.vi : labels.en) }
        let all = try await service.kinds()
        let latest = Dictionary(all.map { ($0.document.kind, $0) }, uniquingKeysWith: { a, b in a.document.version >= b.document.version ? a : b })
        let rows = latest.values.sorted { $0.document.kind < $1.document.kind }.map { published -> [String: Any] in
            let kind = published.document
            return [
                "id": kind.kind, "label": label(kind.labels), "version": t.number(kind.version),
                "origin": published.publishedAt.map { at in
                    t.format("kind_published", SafeText.terminal(published.publishedBy ?? "—"), t.time(at))
                } ?? t["kind_builtin"],
                "fields": kind.fields.filter { $0.system != true }.map { field -> [String: Any] in
                    let flags = [field.required == true ? t["kind_required"] : nil, field.personal == true ? t["kind_personal"] : nil,
                                 field.retired == true ? t["kind_retired"] : nil].compactMap { $0 }
                    return ["label": label(field.labels), "type": t["kind_type." + field.type.rawValue], "retired": field.retired == true,
                            "flags": flags.joined(separator: ", "),
                            "options": (field.options ?? []).map { label($0.labels) + ($0.retired == true ? " (\(t["kind_retired"]))" : "") }
                                .joined(separator: "; ")]
                },
            ]
        }
        return page("kinds", ["kinds": rows], request: request, signedIn: who)
    }
}
