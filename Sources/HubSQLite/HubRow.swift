import FieldModel
import SQLiteKit
import HubCore
import SyncCore

/// SQLite's statement read by column name: a name it does not have is an error naming it (not the trap of
/// `Statement.index(of:)`, which the laptop's fixed queries use).
struct SQLiteColumns: NamedColumns {
    let statement: Statement

    init(_ statement: Statement) { self.statement = statement }

    func index(_ name: String) throws(HubError) -> Int32 {
        guard let index = statement.columnIndex(name) else { throw HubError.noColumn(name) }
        return index
    }
    func text(_ name: String) throws(HubError) -> String? { statement.text(try index(name)) }
    func int64(_ name: String) throws(HubError) -> Int64 { statement.int64(try index(name)) }
    func blob(_ name: String) throws(HubError) -> [UInt8]? { statement.blob(try index(name)) }
}

extension HubRow {
    /// Reads a SQLite row selected with `columns`.
    package static func decode(_ row: Statement) throws -> StoredVisit {
        try decode(SQLiteColumns(row))
    }
}

/// How a visit's state is written into SQLite's `records` table.
extension HubRow {

    static let upsertSQL = """
        INSERT INTO records (id, hub_seq, province, commune, team, service, outcome, reason, name, cccd_masked, cccd_hash,
            phone, note, visited_at, volunteer, consent_at, consent_by, consent_policy, deleted, meta, device, updated_at, sent_in, extra,
            household, follow_up, review)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27)
        ON CONFLICT (id) DO UPDATE SET hub_seq = ?2, province = ?3, commune = ?4, team = ?5, service = ?6, outcome = ?7,
            reason = ?8, name = ?9, cccd_masked = ?10, cccd_hash = ?11, phone = ?12, note = ?13, visited_at = ?14,
            volunteer = ?15, consent_at = ?16, consent_by = ?17, consent_policy = ?18, deleted = ?19, meta = ?20,
            updated_at = ?22, sent_in = ?23, extra = ?24, household = ?25, follow_up = ?26, review = ?27
        """

    /// The bound values of `upsertSQL`.
    /// - Parameter sentIn: the device and sync session whose push the state is, exactly as sent; nil for a
    ///   merge, a hub write, or a push that named no session.
    static func values(_ visit: Visit, state: RecordState, hubSeq: UInt64, province: String, device: String,
                       now: String, sentIn: String?) throws -> [SQLValue] {
        [
            .text(visit.id), .integer(Int64(hubSeq)), .text(province), .text(visit.commune), .text(visit.team),
            .text(visit.service.rawValue), .text(visit.outcome.rawValue), .text(visit.reason?.rawValue),
            .text(visit.citizenName), .text(visit.citizenID?.masked), .text(visit.citizenID?.keyedHash), .text(visit.phone),
            .text(visit.note), .text(ISODate.format(visit.visitedAt)), .text(visit.volunteer),
            .text(visit.consent.map { ISODate.format($0.at) }), .text(visit.consent?.by), .text(visit.consent?.policy),
            .bool(visit.deleted), .blob(MetadataCodec.encode(version: state.version, writes: VisitField.writes(of: state))),
            .text(device), .text(now), .text(sentIn), .text(try ExtraRegisters.encode(VisitField.extras(of: state))),
            .text(visit.household), .text(visit.openFollowUp), .text(visit.review),
        ]
    }
}
