import HubCore
import Crypto
import FieldModel
import SQLiteKit

/// The changes a batch of writes makes to the report aggregates, summed in memory and written once
/// per transaction (a push of 500 visits from one commune touches a few dozen aggregate rows).
struct ReportAggregates {
    struct ProgressKey: Hashable { let commune, service, outcome, reason: String }
    struct DailyKey: Hashable { let day: Substring; let progress: ProgressKey }
    struct CitizenKey: Hashable { let commune, service: String; let citizen: Int64 }

    /// The compact key of a citizen's match form, whatever its encoding (a pseudonym `p<k>.<hex>` of any
    /// key version, or a legacy keyed hash): the first 64 bits of SHA-256 of the whole text, so two
    /// different forms share a key only by a 64-bit collision (and the duplicates report compares the
    /// whole forms besides).
    static func citizenKey(_ hash: String) -> Int64 {
        let digest = SHA256.hash(data: Array(hash.utf8))
        return digest.withUnsafeBytes { bytes in
            Int64(bitPattern: bytes.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
        }
    }
    struct CountKey: Hashable { let commune, service: String }

    var progress: [ProgressKey: Int] = [:]
    var daily: [DailyKey: Int] = [:]
    var citizens: [CitizenKey: Int] = [:]
    var anonymous: [CountKey: Int] = [:]

    /// Counts a visit in (`sign` 1) or out (`sign` -1); deleted visits and those a coordinator rejected count nowhere.
    mutating func add(_ visit: Visit, sign: Int) {
        guard visit.counted else { return }
        let service = visit.service.rawValue
        let key = ProgressKey(commune: visit.commune, service: service, outcome: visit.outcome.rawValue,
                              reason: visit.reason?.rawValue ?? "")
        progress[key, default: 0] += sign
        daily[DailyKey(day: Substring(VietnamTime.day(of: visit.visitedAt)), progress: key), default: 0] += sign
        // A visit whose CCCD awaits its pseudonym counts as one citizen of its own until it has one.
        let citizen = visit.citizenID?.keyedHash.map(Self.citizenKey)
        for scope in [service, "*"] {
            if let citizen {
                citizens[CitizenKey(commune: visit.commune, service: scope, citizen: citizen), default: 0] += sign
            } else {
                anonymous[CountKey(commune: visit.commune, service: scope), default: 0] += sign
            }
        }
    }

    /// Replaces a visit's old contribution with its new one.
    mutating func replace(_ old: Visit?, with new: Visit) {
        if let old { add(old, sign: -1) }
        add(new, sign: 1)
    }

    /// Writes the summed changes (inside the caller's transaction).
    func flush(to db: Database) throws {
        let progressUpsert = try db.cached("""
            INSERT INTO progress_totals (commune, service, outcome, reason, visits) VALUES (?1, ?2, ?3, ?4, ?5)
            ON CONFLICT DO UPDATE SET visits = visits + ?5
            """)
        for (key, delta) in progress where delta != 0 {
            try progressUpsert.execute([.text(key.commune), .text(key.service), .text(key.outcome), .text(key.reason), .integer(delta)])
        }
        let dailyUpsert = try db.cached("""
            INSERT INTO progress_daily (day, commune, service, outcome, reason, visits) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT DO UPDATE SET visits = visits + ?6
            """)
        for (key, delta) in daily where delta != 0 {
            let p = key.progress
            try dailyUpsert.execute([.text(String(key.day)), .text(p.commune), .text(p.service), .text(p.outcome), .text(p.reason),
                                     .integer(delta)])
        }
        var counts: [CountKey: (citizens: Int, anonymous: Int)] = [:]
        for (key, delta) in anonymous where delta != 0 { counts[CountKey(commune: key.commune, service: key.service), default: (0, 0)].anonymous += delta }
        // One statement per citizen: the upsert returns the new count, which tells a first visit (the
        // count equals the change) and a last one (0: the row goes) apart.
        let upsert = try db.cached("""
            INSERT INTO citizens (commune, service, citizen, visits) VALUES (?1, ?2, ?3, max(?4, 0))
            ON CONFLICT DO UPDATE SET visits = max(visits + ?4, 0) RETURNING visits
            """)
        let remove = try db.cached("DELETE FROM citizens WHERE commune = ? AND service = ? AND citizen = ? AND visits = 0")
        for (key, delta) in citizens where delta != 0 {
            let values: [SQLValue] = [.text(key.commune), .text(key.service), .integer(key.citizen)]
            let after = try upsert.query(values + [.integer(delta)]) { $0.int(0) }.first ?? 0
            var change = 0
            if after == 0 {
                try remove.execute(values)
                if delta < 0 { change = -1 }
            } else if delta > 0 && after == delta {
                change = 1
            }
            if change != 0 { counts[CountKey(commune: key.commune, service: key.service), default: (0, 0)].citizens += change }
        }
        let countUpsert = try db.cached("""
            INSERT INTO citizen_counts (commune, service, citizens, anonymous) VALUES (?1, ?2, ?3, ?4)
            ON CONFLICT DO UPDATE SET citizens = citizens + ?3, anonymous = anonymous + ?4
            """)
        for (key, change) in counts where change.citizens != 0 || change.anonymous != 0 {
            try countUpsert.execute([.text(key.commune), .text(key.service), .integer(change.citizens), .integer(change.anonymous)])
        }
    }
}
