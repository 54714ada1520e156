import FieldModel
import Foundation
import RecordKinds
import SyncCore

/// A record of a kind other than the visit as the hub keeps it (Protocol/README.md §12): the whole state as JSON, and
/// the few values reports filter and group by as indexed columns (projections), read from the state by the kind:
/// its commune and team, its first date-time field (`at`), its first option field (`code`), its first integer field
/// (`amount`), a household's village (`village`) and a review's state (`review`, issue 33). The visit keeps its own typed columns; a new kind needs no new table.
public struct KindRecord: Sendable, Equatable {
    public var state: RecordState
    /// The hub change number of its last write (§7).
    public var hubSeq: UInt64

    public init(state: RecordState, hubSeq: UInt64) {
        self.state = state
        self.hubSeq = hubSeq
    }

    /// The columns read back.
    static let columns = "id, kind, state, hub_seq"

    /// The columns written, in the order of `values`.
    static let writtenColumns = ["id", "kind", "hub_seq", "province", "commune", "team", "at", "code", "amount", "deleted", "state",
                                 "device", "updated_at", "sent_in", "village", "review"]

    /// The projections of a state by its kind.
    static func projections(_ state: RecordState, kind: RecordKind) -> (at: String, code: String?, amount: Int64?) {
        func first(_ type: KindField.FieldType) -> FieldValue? {
            kind.fields.first { $0.type == type && $0.system != true }.flatMap { state[$0.name]?.value }
        }
        var amount: Int64?
        if case .int(let number)? = first(.integer) { amount = number }
        return (first(.datetime)?.text ?? "", first(.code)?.text, amount)
    }

    /// The bound values of a row.
    static func values(_ state: RecordState, kind: RecordKind, hubSeq: UInt64, device: String, now: String, sentIn: String?) throws -> [HubValue] {
        let commune = state["commune"]?.value.text ?? ""
        let (at, code, amount) = projections(state, kind: kind)
        let json = String(decoding: try JSONEncoder().encode(state), as: UTF8.self)
        return [.text(state.id), .text(state.kind), .counter(hubSeq), .text(Hub.province(of: commune)), .text(commune),
                .text(state["team"]?.value.text ?? ""), .text(at), .text(code), amount.map { .integer($0) } ?? .null,
                .bool(state.isDeleted), .text(json), .text(device), .text(now), .text(sentIn),
                .text(kind.kind == "household" ? state["village"]?.value.text : nil), .text(Review(state)?.state.rawValue)]
    }

    /// Reads a row selected with `columns`.
    static func decode(_ row: some NamedColumns) throws -> KindRecord {
        let id = try row.text("id") ?? ""
        do {
            var state = try JSONDecoder().decode(RecordState.self, from: Data((try row.text("state") ?? "").utf8))
            state.kind = try row.text("kind") ?? state.kind
            return KindRecord(state: state, hubSeq: UInt64(clamping: try row.int64("hub_seq")))
        } catch {
            throw HubError.unavailable("the hub store's record \(id) is damaged (\(error))")
        }
    }
}
