import HubCore
import PostgresNIO
import SyncProtocol

extension PostgresHubStore {
    public func targets(_ scope: Scope) async throws -> Targets {
        try await single { connection in
            var values: [String: [String: Int]] = [:]
            for try await (commune, service, target) in try await connection.query(
                "SELECT commune, service, target FROM targets", logger: self.logger).decode((String, String, Int).self)
            where scope.covers(commune: commune) {
                values[commune, default: [:]][service] = target
            }
            return Targets(values: values)
        }
    }

    public func replaceTargets(_ targets: Targets, scope: Scope) async throws {
        try Hub.checkTargets(targets, scope: scope)
        let rows = targets.values.flatMap { commune, services in services.map { (commune, $0.key, $0.value) } }
        try await connectionTransaction { connection in
            // One uploader at a time: two coordinators replacing overlapping areas do not interleave.
            try await connection.query("LOCK TABLE targets IN SHARE ROW EXCLUSIVE MODE", logger: self.logger)
            var existing: [String] = []
            for try await commune in try await connection.query("SELECT DISTINCT commune FROM targets", logger: self.logger)
                .decode(String.self) { existing.append(commune) }
            let removed = existing.filter { scope.covers(commune: $0) }
            try await connection.query("DELETE FROM targets WHERE commune = ANY(\(removed))", logger: self.logger)
            try await connection.query("""
                INSERT INTO targets (commune, service, target)
                SELECT * FROM unnest(\(rows.map(\.0))::text[], \(rows.map(\.1))::text[], \(rows.map { Int64($0.2) })::bigint[])
                """, logger: self.logger)
        }
    }
}
