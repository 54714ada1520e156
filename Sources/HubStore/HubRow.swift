import FieldModel
import SQLiteKit
import SyncCore

/// A result row whose columns are read by name (SQLite's statement, PostgreSQL's row).
package protocol NamedColumns {
    func text(_ name: String) -> String?
    func int64(_ name: String) -> Int64
    func blob(_ name: String) -> [UInt8]?
}

extension Statement: NamedColumns {}

/// How a visit's state maps onto a row of the hub's `records` table, both ways (the same columns on
/// SQLite and PostgreSQL).
package enum HubRow {
    package static let columns = """
        id, service, outcome, commune, name, cccd_masked, cccd_hash, phone, reason, note, visited_at, volunteer, team,
        consent_at, consent_by, consent_policy, deleted, meta, hub_seq, sent_in
        """

    static let upsertSQL = """
        INSERT INTO records (id, hub_seq, province, commune, team, service, outcome, reason, name, cccd_masked, cccd_hash,
            phone, note, visited_at, volunteer, consent_at, consent_by, consent_policy, deleted, meta, device, updated_at, sent_in)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)
        ON CONFLICT (id) DO UPDATE SET hub_seq = ?2, province = ?3, commune = ?4, team = ?5, service = ?6, outcome = ?7,
            reason = ?8, name = ?9, cccd_masked = ?10, cccd_hash = ?11, phone = ?12, note = ?13, visited_at = ?14,
            volunteer = ?15, consent_at = ?16, consent_by = ?17, consent_policy = ?18, deleted = ?19, meta = ?20,
            updated_at = ?22, sent_in = ?23
        """

    /// The bound values of `upsertSQL`.
    /// - Parameter sentIn: the device and sync session whose push the state is, exactly as sent; nil for a
    ///   merge, a hub write, or a push that named no session.
    static func values(_ visit: Visit, state: RecordState, hubSeq: UInt64, province: String, device: String,
                       now: String, sentIn: String?) -> [SQLValue] {
        [
            .text(visit.id), .integer(Int64(hubSeq)), .text(province), .text(visit.commune), .text(visit.team),
            .text(visit.service.rawValue), .text(visit.outcome.rawValue), .text(visit.reason?.rawValue),
            .text(visit.citizenName), .text(visit.citizenID?.masked), .text(visit.citizenID?.keyedHash), .text(visit.phone),
            .text(visit.note), .text(ISODate.format(visit.visitedAt)), .text(visit.volunteer),
            .text(visit.consent.map { ISODate.format($0.at) }), .text(visit.consent?.by), .text(visit.consent?.policy),
            .bool(visit.deleted), .blob(MetadataCodec.encode(version: state.version, writes: VisitField.writes(of: state))),
            .text(device), .text(now), .text(sentIn),
        ]
    }

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
