import FieldModel
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SQLiteKit
import SyncProtocol

/// A citizen ID this store holds and the visit whose pseudonym it should become.
public struct PseudonymWork: Sendable, Equatable {
    /// The visit's id.
    public let record: String
    /// The 12 digits typed here.
    public let digits: String
}

extension FieldStore {
    /// The hub's pseudonym key pinned here (from enrolment or the first evaluation), if any.
    public func pinnedPseudonymKey() throws -> PseudonymKey? {
        try read { try setting(SettingKey.pseudonymKey).flatMap(PseudonymKey.init(stored:)) }
    }

    /// Visits whose citizen ID was typed here and whose pseudonym is missing, or under a key older
    /// than the hub's `version` (nil: any pseudonym will do), at most `limit`.
    public func citizenIDsNeedingPseudonyms(version: Int?, limit: Int) throws -> [PseudonymWork] {
        try read {
            let current = version.map { "p\($0).%" } ?? "p%"
            // An encrypted store keeps the raw ID sealed: its candidate rows are opened to find it. Deleted
            // visits too: their tombstones keep the citizen's data, which a subject request must find.
            return try db.query("""
                SELECT \(VisitRow.columns) FROM visits WHERE (cccd_raw IS NOT NULL OR sealed IS NOT NULL)
                    AND (cccd_hash IS NULL OR cccd_hash NOT LIKE ?)
                """, [.text(current)], row: decodeVisit).lazy
                .compactMap { stored in stored.rawCitizenID.map { PseudonymWork(record: stored.visit.id, digits: $0) } }
                .prefix(limit).map { $0 }
        }
    }

    /// Pins the hub's key, and stores each pseudonym in the visit's `cccd` as the same write (the
    /// mask shortened to the last four digits); a visit the hub already has is sent again. A visit
    /// whose ID was edited meanwhile is left for the next sync. Protocol 2's shared key is forgotten.
    /// - Throws: `StoreError.pseudonymKeyChanged` when `key` is not the pinned key or a newer version of it.
    public func savePseudonyms(_ pseudonyms: [(work: PseudonymWork, pseudonym: String)], key: PseudonymKey) throws {
        try write {
            try pin(key)
            let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            for (work, pseudonym) in pseudonyms {
                guard let (stored, ownSeq) = try db.query("SELECT \(VisitRow.columns), own_seq FROM visits WHERE id = ?", [.text(work.record)],
                                                        row: { (try decodeVisit($0), $0.int64("own_seq")) }).first,
                      stored.rawCitizenID == work.digits
                else { continue }
                var visit = stored.visit
                visit.citizenID = ProtectedCitizenID(masked: "********" + work.digits.suffix(4),
                                                     keyedHash: ProtectedCitizenID.pseudonym(version: key.version, hex: pseudonym))
                // The same write, encoded more completely: the stored stamps and seqs are kept as they are.
                try db.run(VisitRow.mergeSQL, try VisitRow.values(visit, raw: stored.rawCitizenID, state: stored.state, localWrite: ownSeq,
                                                                  sealer: sealer))
                if ownSeq <= acked { try db.run("UPDATE visits SET resend = 1 WHERE id = ?", [.text(work.record)]) }
            }
            try setSetting(SettingKey.citizenKey, nil)
        }
    }

    /// Pins a key: the first one, or a newer version of the pinned one.
    func pin(_ key: PseudonymKey) throws {
        if let pinned = try setting(SettingKey.pseudonymKey).flatMap(PseudonymKey.init(stored:)), pinned != key {
            guard key.version > pinned.version else { throw StoreError.pseudonymKeyChanged(pinned: pinned.version, offered: key.version) }
        }
        try setSetting(SettingKey.pseudonymKey, key.stored)
    }
}
