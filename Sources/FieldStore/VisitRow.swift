#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SQLiteKit
import StoreCrypto
import SyncCore

/// How a visit maps onto a row of the `visits` table, both ways.
enum VisitRow {
    /// The columns read back (by name: their order does not matter to `decode`).
    static let columns = """
        id, service, outcome, commune, name, cccd_masked, cccd_hash, cccd_raw, phone, reason, note, visited_at,
        volunteer, team, consent_at, consent_by, consent_policy, deleted, meta, sealed, extra
        """

    /// Inserts or replaces a visit's row after a local write (`own_seq` = that write's number).
    static let upsertSQL = """
        INSERT OR REPLACE INTO visits (id, service, outcome, commune, name, name_fold, cccd_masked, cccd_hash, cccd_raw,
            phone, reason, note, note_fold, visited_at, volunteer, team, consent_at, consent_by, consent_policy, deleted,
            meta, own_seq, sealed, extra)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
        """

    /// Inserts or updates a visit's row after a merge of a received state: `own_seq` is kept, so
    /// local writes not yet pushed stay pending.
    static let mergeSQL = """
        INSERT INTO visits (id, service, outcome, commune, name, name_fold, cccd_masked, cccd_hash, cccd_raw,
            phone, reason, note, note_fold, visited_at, volunteer, team, consent_at, consent_by, consent_policy, deleted,
            meta, own_seq, sealed, extra)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24)
        ON CONFLICT (id) DO UPDATE SET service = ?2, outcome = ?3, commune = ?4, name = ?5, name_fold = ?6,
            cccd_masked = ?7, cccd_hash = ?8, cccd_raw = ?9, phone = ?10, reason = ?11, note = ?12, note_fold = ?13,
            visited_at = ?14, volunteer = ?15, team = ?16, consent_at = ?17, consent_by = ?18, consent_policy = ?19,
            deleted = ?20, meta = ?21, sealed = ?23, extra = ?24
        """

    /// The personal part of a visit, sealed in an encrypted store: name, phone, note, the CCCD's mask and raw digits,
    /// and the registers of published fields (which may be personal).
    struct Personal: Codable {
        var n: String
        var p: String?
        var o: String
        var m: String?
        var r: String?
        var x: String?
    }

    /// The bound values of `upsertSQL`/`mergeSQL` for a visit, its raw ID (local only), its replicated
    /// state and the number of its latest local write (0 for a visit never written here). With a
    /// sealer (an encrypted store) the personal fields go sealed, their columns stay empty.
    static func values(_ visit: Visit, raw: String?, state: RecordState, localWrite: Int64, sealer: RowSealer?) throws -> [SQLValue] {
        var sealed: SQLValue = .null
        var clear = Personal(n: visit.citizenName, p: visit.phone, o: visit.note, m: visit.citizenID?.masked, r: raw,
                             x: try ExtraRegisters.encode(VisitField.extras(of: state)))
        if let sealer {
            sealed = .blob(Array(try sealer.seal(try JSONEncoder().encode(clear), row: visit.id)))
            clear = Personal(n: "", p: nil, o: "", m: nil, r: nil, x: nil)
        }
        return [
            .text(visit.id), .text(visit.service.rawValue), .text(visit.outcome.rawValue), .text(visit.commune),
            .text(clear.n), .text(VietnameseText.fold(clear.n)),
            .text(clear.m), .text(visit.citizenID?.keyedHash), .text(clear.r),
            .text(clear.p), .text(visit.reason?.rawValue), .text(clear.o), .text(VietnameseText.fold(clear.o)),
            .text(ISODate.format(visit.visitedAt)), .text(visit.volunteer), .text(visit.team),
            .text(visit.consent.map { ISODate.format($0.at) }), .text(visit.consent?.by), .text(visit.consent?.policy),
            .bool(visit.deleted),
            .blob(MetadataCodec.encode(version: state.version, writes: VisitField.writes(of: state))),
            .integer(localWrite), sealed, .text(clear.x),
        ]
    }

    /// Reads a row selected with `columns`, opening its sealed part with `sealer`.
    /// - Throws: `StoreError.locked` for a sealed row of a locked store.
    static func decode(_ row: Statement, sealer: RowSealer?) throws -> StoredVisit {
        let id = row.text("id") ?? ""
        func damaged(_ what: String) -> StoreError { .damaged(path: "", detail: "visit \(id) has \(what)") }
        var personal = Personal(n: row.text("name") ?? "", p: row.text("phone"), o: row.text("note") ?? "", m: row.text("cccd_masked"),
                                r: row.text("cccd_raw"), x: row.text("extra"))
        if let sealed = row.blob("sealed") {
            guard let sealer else { throw damaged("sealed data but the store has no key") }
            do {
                personal = try JSONDecoder().decode(Personal.self, from: try sealer.open(Data(sealed), row: id))
            } catch StoreCryptoError.locked {
                throw StoreError.locked
            } catch {
                throw damaged("sealed data that does not open (\(error))")
            }
        }
        guard let service = Service(rawValue: row.text("service") ?? "") else { throw damaged("a malformed service code") }
        guard let outcome = Outcome(rawValue: row.text("outcome") ?? "") else { throw damaged("an unknown outcome") }
        guard let visitedAt = ISODate.parseCanonical(row.text("visited_at") ?? "") else { throw damaged("a bad date") }
        let citizenID = personal.m.map { ProtectedCitizenID(masked: $0, keyedHash: row.text("cccd_hash")) }
        var consent: Consent?
        if let at = row.text("consent_at").flatMap(ISODate.parseCanonical) {
            consent = Consent(at: at, by: row.text("consent_by") ?? "", policy: row.text("consent_policy") ?? "")
        }
        var visit = Visit(
            id: id, service: service, outcome: outcome, commune: row.text("commune") ?? "", citizenName: personal.n,
            citizenID: citizenID, phone: personal.p, reason: row.text("reason").flatMap(FailureReason.init(rawValue:)),
            note: personal.o, visitedAt: visitedAt, volunteer: row.text("volunteer") ?? "", team: row.text("team") ?? "",
            consent: consent, deleted: row.int("deleted") != 0,
            // The marker name is refused as input: a row that holds it is an erased visit.
            erased: personal.n == Visit.erasedName)
        let (version, writes): (VersionVector, [WriteID?])
        do {
            (version, writes) = try MetadataCodec.decode(row.blob("meta") ?? [], fieldCount: VisitField.allCases.count, added: VisitField.addedLater)
        } catch {
            throw damaged("unreadable sync metadata (\(error))")
        }
        let extras: [RecordState.Field]
        do {
            extras = try ExtraRegisters.decode(personal.x)
        } catch {
            throw damaged("unreadable registers of published fields (\(error))")
        }
        visit.extra = Dictionary(uniqueKeysWithValues: extras.map { ($0.name, $0.register.value) })
        return StoredVisit(visit: visit, rawCitizenID: personal.r, state: visit.recordState(writes: writes, version: version, extras: extras))
    }
}
