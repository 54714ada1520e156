#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import RecordKinds

extension FieldStore {
    /// The latest version of each kind the hub published, as its `GET /v1/kinds` answer kept at the last sync holds
    /// them (Protocol/README.md §12): empty before any was published. A version that does not hold is left out.
    /// - Throws: `KindError.invalid` when the kept answer cannot be read at all.
    public func publishedKinds() throws -> [String: RecordKind] {
        guard let data = try hubKinds() else { return [:] }
        struct Answer: Decodable { let kinds: [RecordKind] }
        let answer: Answer
        do {
            answer = try JSONDecoder().decode(Answer.self, from: data)
        } catch {
            throw KindError.invalid(["the record kinds kept from the hub cannot be read (\(error)): sync again"])
        }
        var latest: [String: RecordKind] = [:]
        for kind in answer.kinds where kind.problems.isEmpty && kind.version > (latest[kind.kind]?.version ?? 0) { latest[kind.kind] = kind }
        return latest
    }

    /// The visit kind this laptop writes with: the hub's latest published version of it when that is newer than
    /// FieldSync's own, else nil (the built-in visit, which the code knows without reading a document).
    public func visitKind() throws -> RecordKind? {
        guard let kind = try publishedKinds()["visit"], kind.version > 1 else { return nil }
        return kind
    }

    /// The services a new visit may name: the visit kind's options that are not retired.
    public func serviceOptions() throws -> [Service] {
        guard let kind = try visitKind() else { return Service.allCases }
        return (kind.field(VisitField.service.rawValue)?.options ?? []).filter { $0.retired != true }.compactMap { Service(rawValue: $0.code) }
    }
}
