import FieldModel
import HubCore
import PostgresNIO

extension PostgresHubStore {
    public func dailyOutcomes(_ filter: ReportFilter) async throws -> [String: [String: Int]] {
        let (condition, values) = VisitQuery(filter: filter).condition { "$\($0 + 1)" }
        var binds = PostgresBindings()
        binds.append(VietnamTime.zone.identifier)
        for value in values { binds.append(value) }
        let sql = """
            SELECT to_char((visited_at::timestamptz) AT TIME ZONE $1, 'YYYY-MM-DD'), outcome, count(*) FROM records
            WHERE \(condition) GROUP BY 1, 2
            """
        return try await single { connection in
            var days: [String: [String: Int]] = [:]
            for try await (day, outcome, visits) in try await connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: self.logger)
                .decode((String, String, Int).self) {
                days[day, default: [:]][outcome] = visits
            }
            return days
        }
    }
}
