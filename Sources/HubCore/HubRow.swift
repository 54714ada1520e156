import FieldModel
import Foundation
import SyncCore

/// A result row whose columns are read by name (SQLite's statement, PostgreSQL's row).
package protocol NamedColumns {
    func text(_ name: String) -> String?
    func int64(_ name: String) -> Int64
    func blob(_ name: String) -> [UInt8]?
}

/// How a visit's state maps onto a row of the hub's `records` table (the same columns on every engine).
package enum HubRow {
    package static let columns = """
        id, service, outcome, commune, name, cccd_masked, cccd_hash, phone, reason, note, visited_at, volunteer, team,
        consent_at, consent_by, consent_policy, deleted, meta, hub_seq, sent_in
        """

    /// Reads a row selected with `columns`: the visit, its state and its hub change number.
    package static func decode(_ row: some NamedColumns) throws -> (visit: Visit, state: RecordState, hubSeq: UInt64) {
        let id = row.text("id") ?? ""
        guard let service = Service(rawValue: row.text("service") ?? ""), let outcome = Outcome(rawValue: row.text("outcome") ?? ""),
              let visitedAt = ISODate.parseCanonical(row.text("visited_at") ?? "")
        else { throw HubError.unavailable("the hub store's row for \(id) is damaged") }
        var consent: Consent?
        if let at = row.text("consent_at").flatMap(ISODate.parseCanonical) {
            consent = Consent(at: at, by: row.text("consent_by") ?? "", policy: row.text("consent_policy") ?? "")
        }
        let visit = Visit(
            id: id, service: service, outcome: outcome, commune: row.text("commune") ?? "", citizenName: row.text("name") ?? "",
            citizenID: row.text("cccd_masked").map { ProtectedCitizenID(masked: $0, keyedHash: row.text("cccd_hash")) }, phone: row.text("phone"),
            reason: row.text("reason").flatMap(FailureReason.init(rawValue:)), note: row.text("note") ?? "", visitedAt: visitedAt,
            volunteer: row.text("volunteer") ?? "", team: row.text("team") ?? "", consent: consent, deleted: row.int64("deleted") != 0,
            // The marker name is refused as input: a row that holds it is an erased visit.
            erased: row.text("name") == Visit.erasedName)
        let (version, writes): (VersionVector, [WriteID?])
        do {
            (version, writes) = try MetadataCodec.decode(row.blob("meta") ?? [], fieldCount: VisitField.allCases.count, added: VisitField.addedLater)
        } catch {
            throw HubError.unavailable("the hub store's sync metadata for \(id) is damaged (\(error))")
        }
        return (visit, visit.recordState(writes: writes, version: version), UInt64(clamping: row.int64("hub_seq")))
    }
}
