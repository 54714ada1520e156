import HubCore
import SQLiteKit
import SyncCore
import SyncProtocol
import TextSafety

extension HubStore {
    /// Quarantines a refused record (inside the push's transaction) and returns the rejection to report.
    ///
    /// Bounded: the payload is cut to `HubLimits.quarantinePayloadBytes` and dropped once the device's
    /// quota is used up; a record the same device sends again replaces its earlier entry and counts an
    /// attempt, so retries of one bad record never pile up.
    func quarantine(_ record: RecordState, device: String, reason: String, now: String) throws -> Rejection {
        let reason = SafeText.truncated(reason, toBytes: HubLimits.quarantineReasonBytes).text
        var (payload, size) = QuarantinePayload.of(record)
        let used = try db.scalarInt("""
            SELECT coalesce(sum(length(CAST(payload AS BLOB))), 0) FROM quarantine
            WHERE device = ? AND resolved_at IS NULL AND record <> ?
            """, [.text(device), .text(record.id)]) ?? 0
        if used + payload.utf8.count > HubLimits.quarantineQuotaBytes { payload = "" }
        try db.run("""
            INSERT INTO quarantine (device, record, code, reason, payload, payload_size, received_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
            ON CONFLICT (device, record) WHERE resolved_at IS NULL DO UPDATE SET
                code = ?3, reason = ?4, payload = ?5, payload_size = ?6, received_at = ?7, attempts = attempts + 1
            """, [.text(device), .text(record.id), .text("invalid_record"), .text(reason), .text(payload),
                  .integer(size), .text(now)])
        return Rejection(id: record.id, code: "invalid_record", message: reason)
    }
}

extension HubStore {
    /// The quarantined payloads (whole, open or resolved) of these visits, oldest first.
    public func quarantined(records: [String]) throws -> [MergeReport.QuarantineLine] {
        try read {
            try db.query("""
                SELECT record, device, code, reason, received_at, payload, payload_size, attempts FROM quarantine
                WHERE record IN (SELECT value FROM json_each(?)) ORDER BY received_at, id
                """, [.text(Hub.jsonArray(records))]) { row in
                MergeReport.QuarantineLine(record: row.text(0) ?? "", device: row.text(1) ?? "", volunteer: nil, code: row.text(2) ?? "",
                                           reason: row.text(3) ?? "", receivedAt: row.text(4) ?? "", payloadStart: row.text(5) ?? "",
                                           payloadSize: row.int(6), attempts: row.int(7))
            }
        }
    }

    /// The quarantined payloads about one citizen (§4.3), records the hub never stored included, oldest first.
    public func quarantined(matching match: QuarantineMatch) throws -> [MergeReport.QuarantineLine] {
        guard !match.isEmpty else { return [] }
        return try read {
            try db.query("""
                SELECT q.record, q.device, q.code, q.reason, q.received_at, q.payload, q.payload_size, q.attempts FROM quarantine q
                LEFT JOIN devices d ON d.id = q.device WHERE q.payload <> '' AND (?1 IS NULL OR d.commune = ?1) ORDER BY q.received_at, q.id
                """, [match.commune.map { .text($0) } ?? .null]) { row in
                MergeReport.QuarantineLine(record: row.text(0) ?? "", device: row.text(1) ?? "", volunteer: nil, code: row.text(2) ?? "",
                                           reason: row.text(3) ?? "", receivedAt: row.text(4) ?? "", payloadStart: row.text(5) ?? "",
                                           payloadSize: row.int(6), attempts: row.int(7))
            }.filter { match.matches($0.payload) }
        }
    }

    /// Empties the quarantined payloads of these records (secure_delete on, the WAL truncated after).
    /// - Returns: how many payloads were emptied.
    public func eraseQuarantined(records: [String]) throws -> Int {
        guard !records.isEmpty else { return 0 }
        return try overwritingDeletes {
            try write {
                try db.run("UPDATE quarantine SET payload = '' WHERE record IN (SELECT value FROM json_each(?)) AND payload <> ''",
                           [.text(Hub.jsonArray(records))])
                return db.changes
            }
        }
    }
}
