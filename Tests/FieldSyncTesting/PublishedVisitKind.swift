import Foundation
import RecordKinds

/// The example of a published version of the visit kind: version 2 adds the boolean "kích hoạt tại chỗ"
/// (`activatedOnSite`) and the service option `binh-dan-hoc-vu-so`.
public enum PublishedVisitKind {
    public static func version2() throws -> RecordKind {
        var next = try RecordKind.builtIn("visit")
        next.version = 2
        next.fields.append(KindField(name: "activatedOnSite", type: .boolean, labels: KindLabels(vi: "Kích hoạt tại chỗ", en: "Activated on site")))
        guard let service = next.fields.firstIndex(where: { $0.name == "service" }) else { throw KindError.invalid(["no service field"]) }
        next.fields[service].options?.append(KindOption(code: "binh-dan-hoc-vu-so",
                                                        labels: KindLabels(vi: "Bình dân học vụ số", en: "Digital literacy for all")))
        return next
    }

    /// The hub's `GET /v1/kinds` answer holding `kinds`, as a laptop keeps it.
    public static func answer(_ kinds: [RecordKind]) throws -> Data {
        struct Answer: Encodable { let kinds: [RecordKind] }
        return try JSONEncoder().encode(Answer(kinds: kinds))
    }
}
