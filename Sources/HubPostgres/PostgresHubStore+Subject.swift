import FieldModel
import Foundation
import HubCore
import PostgresNIO
import SyncCore

extension PostgresHubStore {
    /// Vacuums tables after an erasure or a compaction: the dead row versions that still held the citizen's or the deleted
    /// visits' values go (outside any transaction, as VACUUM must run). The quarantine, small and bounded per device, is
    /// rewritten whole (VACUUM FULL: not even the free space of its old file keeps a payload).
    func vacuum(_ tables: [String]) async throws {
        try await single { connection in
            for table in tables where ["records", "conflicts", "quarantine", "forgotten"].contains(table) {
                let full = table == "quarantine" ? "FULL " : ""
                _ = try await connection.query(PostgresQuery(unsafeSQL: "VACUUM \(full)\(table)"), logger: self.logger)
            }
        }
    }
}
