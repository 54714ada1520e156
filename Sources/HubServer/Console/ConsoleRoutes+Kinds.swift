import FieldModel
import Foundation
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

extension ConsoleRoutes {
    /// Training sessions in the coordinator's area: how many and the people trained, by commune and topic, and the
    /// latest sessions, labelled by the session kind's latest version.
    func sessions(_ request: Request, _ context: HubRequestContext) async throws -> Response {
        let who = try await signedIn(context)
        let t = Catalogue(request: request)
        guard let kind = PublishedKind.latest("session", in: try await service.kinds()) else { throw HTTPError(.notFound) }
        func fieldLabel(_ name: String) -> String { kind.field(name).map { SafeText.terminal(t.words($0.labels)) } ?? name }
        func option(_ code: String?) -> String {
            guard let code else { return "—" }
            return kind.field("topic")?.options?.first { $0.code == code }.map { SafeText.terminal(t.words($0.labels)) } ?? code
        }
        let (filter, since, until) = try Self.period(request, scope: who.device.scope)
        let totals = try await service.kindTotals("session", scope: who.device.scope, since: filter.since, until: filter.until)
        let records = try await service.kindRecords("session", scope: who.device.scope, since: filter.since, until: filter.until, limit: 300)
        let columns = ["heldAt", "commune", "place", "topic", "trainers", "attendees", "women", "elderly", "volunteer"]
        let rows = records.map { record -> [String: Any] in
            var review = Review(record.state).map { t.review($0.state.rawValue) + ($0.comment.map { ": «\(SafeText.terminal($0))»" } ?? "") }
                ?? t["review_none"]
            if let decided = Review(record.state), decided.changedAfter(in: record.state) {
                review += " (" + t[decided.state == .needsCorrection ? "review_resubmitted" : "review_changed_after"] + ")"
            }
            return ["id": record.state.id, "review": review, "cells": columns.map { name -> [String: String] in
                let value = record.state[name]?.value
                let shown: String
                switch name {
                case "heldAt": shown = t.time(value?.text)
                case "topic": shown = option(value?.text)
                case "commune": shown = t.value(value, of: "commune")
                default: shown = SafeText.terminal(t.value(value, of: name))
                }
                return ["label": fieldLabel(name), "value": shown]
            }]
        }
        var back = URLComponents()
        back.queryItems = [since.map { URLQueryItem(name: "since", value: $0) }, until.map { URLQueryItem(name: "until", value: $0) }].compactMap { $0 }
        try await auditRead(who, page: "sessions", detail: ["rows": "\(rows.count)"])
        return page("sessions", [
            "period": Self.periodText(since: since, until: until, t), "since": since ?? "", "until": until ?? "",
            "since_shown": since.map(t.day) ?? "", "until_shown": until.map(t.day) ?? "",
            "area": area(who.device.scope, t), "count": t.number(totals.reduce(0) { $0 + $1.records }),
            "people": t.number(totals.reduce(0) { $0 + $1.amount }), "topic_label": fieldLabel("topic"),
            "totals": totals.map { total -> [String: Any] in
                ["commune": t.value(.text(total.commune), of: "commune"), "topic": option(total.code), "count": t.number(total.records),
                 "people": t.number(total.amount)]
            },
            "columns": columns.map(fieldLabel), "rows": rows, "has_rows": !rows.isEmpty, "back": "/console/sessions?" + (back.percentEncodedQuery ?? ""),
            "review_states": ReviewState.allCases.map { ["code": $0.rawValue, "label": t.review($0.rawValue)] },
        ], request: request, signedIn: who)
    }
}
