import FieldModel
import Foundation
import SyncCore

/// A result row whose columns are read by name (SQLite's statement, PostgreSQL's row). A column the row does not
/// have is an error naming it, on every engine: never a trap, never a silent nil.
package protocol NamedColumns {
    func text(_ name: String) throws(HubError) -> String?
    func int64(_ name: String) throws(HubError) -> Int64
    func blob(_ name: String) throws(HubError) -> [UInt8]?
}

extension HubError {
    /// A row read by a column name it does not have: a defect of the hub's own query.
    package static func noColumn(_ name: String) -> HubError { .storage(detail: "the row read has no column \(name)") }
}

/// How a visit's state maps onto a row of the hub's `records` table (the same columns on every engine).
package enum HubRow {
    package static let columns = """
        id, service, outcome, commune, name, cccd_masked, cccd_hash, phone, reason, note, visited_at, volunteer, team,
        consent_at, consent_by, consent_policy, deleted, meta, hub_seq, sent_in, extra
        """

    /// Reads a row selected with `columns`: the visit, its state and its hub change number.
    package static func decode(_ row: some NamedColumns) throws -> StoredVisit {
        let id = try row.text("id") ?? ""
        guard let service = Service(rawValue: try row.text("service") ?? ""), let outcome = Outcome(rawValue: try row.text("outcome") ?? ""),
              let visitedAt = ISODate.parseCanonical(try row.text("visited_at") ?? "")
        else { throw HubError.unavailable("the hub store's row for \(id) is damaged") }
        var consent: Consent?
        if let at = try row.text("consent_at").flatMap(ISODate.parseCanonical) {
            consent = Consent(at: at, by: try row.text("consent_by") ?? "", policy: try row.text("consent_policy") ?? "")
        }
        var visit = Visit(
            id: id, service: service, outcome: outcome, commune: try row.text("commune") ?? "", citizenName: try row.text("name") ?? "",
            citizenID: try row.text("cccd_masked").map { ProtectedCitizenID(masked: $0, keyedHash: try row.text("cccd_hash")) }, phone: try row.text("phone"),
            reason: try row.text("reason").flatMap(FailureReason.init(rawValue:)), note: try row.text("note") ?? "", visitedAt: visitedAt,
            volunteer: try row.text("volunteer") ?? "", team: try row.text("team") ?? "", consent: consent, deleted: try row.int64("deleted") != 0,
            // The marker name is refused as input: a row that holds it is an erased visit.
            erased: try row.text("name") == Visit.erasedName)
        let (version, writes): (VersionVector, [WriteID?])
        do {
            (version, writes) = try MetadataCodec.decode(try row.blob("meta") ?? [], fieldCount: VisitField.allCases.count, added: VisitField.addedLater)
        } catch {
            throw HubError.unavailable("the hub store's sync metadata for \(id) is damaged (\(error))")
        }
        let extras: [RecordState.Field]
        do {
            extras = try ExtraRegisters.decode(try row.text("extra"))
        } catch {
            throw HubError.unavailable("the hub store's registers of published fields for \(id) are damaged (\(error))")
        }
        visit.extra = Dictionary(uniqueKeysWithValues: extras.map { ($0.name, $0.register.value) })
        return StoredVisit(visit: visit, state: visit.recordState(writes: writes, version: version, extras: extras),
                           hubSeq: UInt64(clamping: try row.int64("hub_seq")))
    }
}
