import HubStore
import PostgresNIO

extension PostgresHubStore {
    public func quarantined(records: [String]) async throws -> [MergeReport.QuarantineLine] {
        try await single { connection in
            var lines: [MergeReport.QuarantineLine] = []
            for try await row in try await connection.query("""
                SELECT record, device, code, reason, received_at, payload, payload_size, attempts FROM quarantine
                WHERE record = ANY(\(records)) ORDER BY received_at, id
                """, logger: self.logger).decode((String, String, String, String, String, String, Int, Int).self) {
                lines.append(MergeReport.QuarantineLine(record: row.0, device: row.1, volunteer: nil, code: row.2, reason: row.3,
                                                        receivedAt: row.4, payloadStart: row.5, payloadSize: row.6, attempts: row.7))
            }
            return lines
        }
    }
}
