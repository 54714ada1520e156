import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import SQLiteKit
import SyncCore

extension FieldStore {
    /// The visit with this id, or with an unambiguous start or end of its id (8 characters or more;
    /// lists show the last 8, the random part of a time-ordered id).
    /// - Throws: `InputError.visitIDMalformed`, `StoreError.visitNotFound` or `.visitIDAmbiguous`.
    public func visit(_ idOrPrefix: String) throws -> StoredVisit {
        let text = idOrPrefix.trimmingWhitespace.lowercased()
        let isHexOrDash = text.allSatisfy { $0.isHexDigit || $0 == "-" }
        guard isHexOrDash, text.count >= 8, text.count <= 36 else { throw InputError.visitIDMalformed(given: idOrPrefix) }
        return try read {
            let rows: [StoredVisit]
            if Visit.isWellFormedID(text) {
                rows = try db.query("SELECT \(VisitRow.columns) FROM visits WHERE id = ?", [.text(text)],
                                    row: decodeVisit)
            } else {
                let byStart = try db.query("SELECT \(VisitRow.columns) FROM visits WHERE id >= ?1 AND id < ?1 || 'g' LIMIT 5",
                                           [.text(text)], row: decodeVisit)
                let byEnd = try db.query("SELECT \(VisitRow.columns) FROM visits WHERE substr(id, -?2) = ?1 LIMIT 5",
                                         [.text(text), .integer(text.count)], row: decodeVisit)
                rows = byStart + byEnd.filter { end in !byStart.contains { $0.visit.id == end.visit.id } }
            }
            guard let first = rows.first else { throw StoreError.visitNotFound(id: idOrPrefix) }
            guard rows.count == 1 else { throw StoreError.visitIDAmbiguous(prefix: idOrPrefix, matches: rows.map(\.visit.id)) }
            return first
        }
    }

    /// The visits that pass a filter, newest first.
    public func visits(_ filter: VisitFilter = VisitFilter()) throws -> [StoredVisit] {
        var conditions: [String] = []
        var values: [SQLValue] = []
        if !filter.includeDeleted { conditions.append("deleted = 0") }
        if let service = filter.service {
            values.append(.text(service.rawValue))
            conditions.append("service = ?\(values.count)")
        }
        if let outcome = filter.outcome {
            values.append(.text(outcome.rawValue))
            conditions.append("outcome = ?\(values.count)")
        }
        if let since = filter.since {
            values.append(.text(ISODate.format(since)))
            conditions.append("visited_at >= ?\(values.count)")
        }
        if let until = filter.until {
            values.append(.text(ISODate.format(until)))
            conditions.append("visited_at < ?\(values.count)")
        }
        let search = filter.search.flatMap(VisitSearch.init)
        if let search, sealer == nil {
            values.append(.text(search.text))
            var matches = "instr(name_fold, ?\(values.count)) > 0 OR instr(note_fold, ?\(values.count)) > 0"
            if let digits = search.digits {
                values.append(.text(digits))
                matches += " OR instr(phone, ?\(values.count)) > 0 OR instr(cccd_raw, ?\(values.count)) > 0"
            }
            conditions.append("(\(matches))")
        }
        let whereClause = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let rows = try read {
            try db.query("SELECT \(VisitRow.columns) FROM visits \(whereClause) ORDER BY visited_at DESC, id",
                         values, row: decodeVisit)
        }
        // An encrypted store has no searchable columns: its rows are opened and matched here.
        guard sealer != nil, let search else { return rows }
        return rows.filter(search.matches)
    }

    /// Where the store's changes stand, whoever made them (this process, another, a sync): what was read at one
    /// generation is still what the store holds while it stays the same.
    public func generation() throws -> StoreGeneration {
        try read {
            try db.query("SELECT value, removals, records FROM generation WHERE singleton = 1") {
                StoreGeneration(value: $0.int64(0), removals: $0.int64(1), records: $0.int64(2))
            }.first ?? StoreGeneration(value: 0, removals: 0, records: 0)
        }
    }

    /// The visits (deleted ones included) changed after generation `value`, newest first.
    public func visitsChanged(after value: Int64) throws -> [StoredVisit] {
        try read {
            try db.query("SELECT \(VisitRow.columns) FROM visits WHERE generation > ? ORDER BY visited_at DESC, id", [.integer(value)], row: decodeVisit)
        }
    }

    /// Other visits of the same citizen (same CCCD typed here, or same name and phone) for the same service
    /// on or after `since`: a hint that a visit is being logged twice.
    /// A locked store cannot compare: it answers none (the hub still finds duplicates).
    public func similarVisits(to visit: Visit, raw: String?, since: Date) throws -> [Visit] {
        if let sealer {
            guard sealer.isUnlocked else { return [] }
            return Self.similarVisits(to: visit, raw: raw, among: try read {
                try db.query("""
                    SELECT \(VisitRow.columns) FROM visits WHERE deleted = 0 AND id <> ?1 AND service = ?2 AND visited_at >= ?3
                    ORDER BY visited_at DESC
                    """, [.text(visit.id), .text(visit.service.rawValue), .text(ISODate.format(since))], row: decodeVisit)
            }, since: since)
        }
        return try read {
            try db.query("""
                SELECT \(VisitRow.columns) FROM visits WHERE deleted = 0 AND id <> ?1 AND service = ?2 AND visited_at >= ?3
                    AND ((?4 IS NOT NULL AND cccd_raw = ?4) OR (?5 IS NOT NULL AND phone = ?5 AND name_fold = ?6))
                ORDER BY visited_at DESC LIMIT 3
                """, [.text(visit.id), .text(visit.service.rawValue), .text(ISODate.format(since)), .text(raw), .text(visit.phone),
                      .text(VietnameseText.fold(visit.citizenName))], row: decodeVisit).map(\.visit)
        }
    }

    /// `similarVisits` among visits already opened (newest first): the same CCCD typed here, or the same name and phone.
    public static func similarVisits(to visit: Visit, raw: String?, among visits: [StoredVisit], since: Date) -> [Visit] {
        let fold = VietnameseText.fold(visit.citizenName)
        return visits.filter { other in
            !other.visit.deleted && other.visit.id != visit.id && other.visit.service == visit.service && other.visit.visitedAt >= since
                && ((raw != nil && other.rawCitizenID == raw)
                    || (visit.phone != nil && other.visit.phone == visit.phone && VietnameseText.fold(other.visit.citizenName) == fold))
        }.prefix(3).map(\.visit)
    }

    /// A summary of the store: identity, counts, unsynced backlog.
    public func status() throws -> StoreStatus {
        try read {
            let replica = try loadReplica()
            let commune = catalogue.commune(profile.commune)
            let acked = Int64(try setting(SettingKey.pushedSeq).flatMap(Int64.init) ?? 0)
            return StoreStatus(
                store: path, replica: profile.replicaID.description, volunteer: profile.volunteer, team: profile.team,
                commune: profile.commune, communeName: commune?.name ?? "", province: commune?.provinceName ?? "",
                seq: replica.seq,
                visits: try db.scalarInt("SELECT count(*) FROM visits WHERE deleted = 0") ?? 0,
                deleted: try db.scalarInt("SELECT count(*) FROM visits WHERE deleted = 1") ?? 0,
                unsynced: (try db.scalarInt("SELECT count(*) FROM visits WHERE own_seq > ? AND own_seq > 0", [.integer(acked)]) ?? 0)
                    + (try db.scalarInt("SELECT count(*) FROM kind_records WHERE own_seq > ?", [.integer(acked)]) ?? 0),
                flagged: try db.scalarInt("SELECT count(*) FROM rejections") ?? 0,
                schema: try db.userVersion,
                server: try setting(SettingKey.server),
                lastSync: try setting(SettingKey.lastSync), lock: lockState)
        }
    }
}

/// Keys of the settings table.
enum SettingKey {
    static let server = "server"
    /// "1" when plain HTTP to a hub on another machine was allowed at enrolment.
    static let insecureHTTP = "server.insecure_http"
    static let token = "token"
    static let device = "device"
    /// Protocol 2's keyed-hash key, dropped once the hub makes pseudonyms.
    static let citizenKey = "citizen_key"
    /// The hub's pseudonym key pinned here: `<version>:<public key hex>`.
    static let pseudonymKey = "pseudonym.key"
    /// An encrypted store's lock (FieldStore+Lock.swift): its id, public key (hex), the key wrapped
    /// under the passphrase and to the hub's recovery key (base64), the hub's recovery key (hex), and the
    /// one-time key a recovery answer is sealed to.
    static let lockID = "lock.id"
    static let lockPublic = "lock.public"
    static let lockPassphrase = "lock.passphrase"
    static let lockRecovery = "lock.recovery"
    static let hubRecoveryKey = "hub.recovery_key"
    static let lockRecoveryAnswerKey = "lock.recovery_answer_key"
    static let maxDrift = "max_drift_ms"
    /// The commune the hub lets this device write (from enrolment).
    static let scopeCommune = "scope.commune"
    /// The villages the hub's last pull page named as this laptop's scope (a JSON array), absent for the whole commune.
    static let scopeVillages = "scope.villages"
    /// "1" while records outside those villages stay for their pending writes.
    static let scopeLeftover = "scope.leftover"
    /// The number of the latest local write the hub acknowledged.
    static let pushedSeq = "push.acked_write"
    static let pullCursor = "pull.cursor"
    static let lastSync = "sync.last_finished"
    /// The record kinds the hub published, as its `GET /v1/kinds` answered (Protocol/README.md §12).
    static let kinds = "hub.kinds"
    /// How many kind versions the hub last announced, and how many the kept answer holds.
    static let kindsAnnounced = "hub.kinds_announced"
    static let kindsFetched = "hub.kinds_fetched"
    /// The hub store's incarnation seen at the last push.
    static let hubIncarnation = "hub.incarnation"
    /// The content codings the hub said it takes in request bodies (`gzip,deflate`), absent before it said any.
    static let hubEncodings = "hub.encodings"
    /// This laptop's bundle keys (sealed like personal fields), the hub's (public), and the receipts of
    /// bundles written and not yet answered (`bundle.out.<id>`), or answered (`bundle.done.<id>`).
    static let bundleKeys = "bundle.keys"
    static let hubBundleKeys = "hub.bundle_keys"
    static let releaseKey = "hub.release_key"
    static let bundleOut = "bundle.out."
    static let bundleDone = "bundle.done."
    /// This laptop's certificate (§9.1), the hub's replica id, and the devices of the commune the hub revoked.
    static let peerCertificate = "peer.certificate"
    static let hubReplica = "hub.replica"
    static let peerRevoked = "peer.revoked"
}
