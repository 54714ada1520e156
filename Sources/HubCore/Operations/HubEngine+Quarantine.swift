import FieldModel
import Foundation

extension HubEngine {
    /// The quarantined payloads (whole, open or resolved) of these visits, oldest first.
    public func quarantined(records: [String]) async throws -> [MergeReport.QuarantineLine] {
        try await snapshot { session in
            try await session.query("""
                SELECT record, device, code, reason, received_at, payload, payload_size, attempts FROM quarantine
                WHERE \(session.dialect.isIn("record")) ORDER BY received_at, id
                """, [.texts(records)]).map(Self.quarantineLine)
        }
    }

    /// The quarantined payloads about one citizen (§4.3), records the hub never stored included, oldest first.
    public func quarantined(matching match: QuarantineMatch) async throws -> [MergeReport.QuarantineLine] {
        guard !match.isEmpty else { return [] }
        return try await snapshot { session in
            var sql = """
                SELECT q.record, q.device, q.code, q.reason, q.received_at, q.payload, q.payload_size, q.attempts FROM quarantine q
                LEFT JOIN devices d ON d.id = q.device WHERE q.payload <> ''
                """
            var values: [HubValue] = []
            if let commune = match.commune {
                sql += " AND d.commune = ?"
                values.append(.text(commune))
            }
            return try await session.query(sql + " ORDER BY q.received_at, q.id", values).map(Self.quarantineLine).filter { match.matches($0.payload) }
        }
    }

    static func quarantineLine(_ row: HubValues) throws -> MergeReport.QuarantineLine {
        MergeReport.QuarantineLine(record: try row.text("record") ?? "", device: try row.text("device") ?? "", volunteer: nil,
                                   code: try row.text("code") ?? "", reason: try row.text("reason") ?? "",
                                   receivedAt: try row.text("received_at") ?? "", payloadStart: try row.text("payload") ?? "",
                                   payloadSize: try row.int("payload_size"), attempts: try row.int("attempts"))
    }
}
