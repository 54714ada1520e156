import FieldModel
import Foundation
import HubCore
import SyncCore

/// One row of `records` as an element of the JSON array a set-based upsert reads with
/// `jsonb_to_recordset` (the same columns as `HubRow` on SQLite; `meta` in base64).
struct RecordRow: Encodable {
    var n: Int
    var id, province, commune, team, service, outcome: String
    var reason: String?
    var name: String
    var cccd_masked, cccd_hash, phone: String?
    var note, visited_at, volunteer: String
    var consent_at, consent_by, consent_policy: String?
    var deleted: Int
    var meta: String
    var device, updated_at: String
    /// The device and sync session whose push the state is, exactly as sent (nil: a merge, a hub write, no session).
    var sent_in: String?
    /// The registers of published fields (`ExtraRegisters`), nil for none.
    var extra: String?
    /// The household visited and the open "come back on" date (issue 31), nil for none.
    var household, follow_up: String?
    /// The review state (issue 33), nil for none.
    var review: String?

    init(_ n: Int, _ visit: Visit, state: RecordState, device: String, now: String, sentIn: String?) throws {
        self.n = n
        id = visit.id
        province = Hub.province(of: visit.commune)
        commune = visit.commune
        team = visit.team
        service = visit.service.rawValue
        outcome = visit.outcome.rawValue
        reason = visit.reason?.rawValue
        name = visit.citizenName
        cccd_masked = visit.citizenID?.masked
        cccd_hash = visit.citizenID?.keyedHash
        phone = visit.phone
        note = visit.note
        visited_at = ISODate.format(visit.visitedAt)
        volunteer = visit.volunteer
        consent_at = visit.consent.map { ISODate.format($0.at) }
        consent_by = visit.consent?.by
        consent_policy = visit.consent?.policy
        deleted = visit.deleted ? 1 : 0
        meta = Data(MetadataCodec.encode(version: state.version, writes: VisitField.writes(of: state))).base64EncodedString()
        self.device = device
        updated_at = now
        sent_in = sentIn
        extra = try ExtraRegisters.encode(VisitField.extras(of: state))
        household = visit.household
        follow_up = visit.openFollowUp
        review = visit.review
    }

    /// Upserts rows given as a JSON array in `$1`; each takes the hub seq `(transaction id << 16) + n`,
    /// which orders changes by the transaction that wrote them (the pull cursor, §7).
    static let upsertSQL = """
        INSERT INTO records (id, hub_seq, province, commune, team, service, outcome, reason, name, cccd_masked, cccd_hash,
            phone, note, visited_at, volunteer, consent_at, consent_by, consent_policy, deleted, meta, device, updated_at, sent_in, extra,
            household, follow_up, review)
        SELECT x.id, (pg_current_xact_id()::text::bigint << 16) + x.n, x.province, x.commune, x.team, x.service, x.outcome,
            x.reason, x.name, x.cccd_masked, x.cccd_hash, x.phone, x.note, x.visited_at, x.volunteer, x.consent_at, x.consent_by,
            x.consent_policy, x.deleted, decode(x.meta, 'base64'), x.device, x.updated_at, x.sent_in, x.extra,
            x.household, x.follow_up, x.review
        FROM jsonb_to_recordset($1::jsonb) AS x(n bigint, id text, province text, commune text, team text, service text,
            outcome text, reason text, name text, cccd_masked text, cccd_hash text, phone text, note text, visited_at text,
            volunteer text, consent_at text, consent_by text, consent_policy text, deleted bigint, meta text, device text,
            updated_at text, sent_in text, extra text, household text, follow_up text, review text)
        ON CONFLICT (id) DO UPDATE SET hub_seq = EXCLUDED.hub_seq, province = EXCLUDED.province, commune = EXCLUDED.commune,
            team = EXCLUDED.team, service = EXCLUDED.service, outcome = EXCLUDED.outcome, reason = EXCLUDED.reason,
            name = EXCLUDED.name, cccd_masked = EXCLUDED.cccd_masked, cccd_hash = EXCLUDED.cccd_hash, phone = EXCLUDED.phone,
            note = EXCLUDED.note, visited_at = EXCLUDED.visited_at, volunteer = EXCLUDED.volunteer,
            consent_at = EXCLUDED.consent_at, consent_by = EXCLUDED.consent_by, consent_policy = EXCLUDED.consent_policy,
            deleted = EXCLUDED.deleted, meta = EXCLUDED.meta, updated_at = EXCLUDED.updated_at,
            sent_in = EXCLUDED.sent_in, extra = EXCLUDED.extra, household = EXCLUDED.household, follow_up = EXCLUDED.follow_up,
            review = EXCLUDED.review
        """
}
