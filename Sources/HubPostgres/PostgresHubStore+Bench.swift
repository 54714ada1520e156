import Foundation
import PostgresNIO

extension PostgresHubStore {
    /// For the benchmark: reads every stored visit row back, then times inserting the same rows, `batch`
    /// per statement, into a new table with the same columns and indexes as `records`: a transaction per
    /// statement, or all of them in one.
    package func rawInsertSeconds(batch: Int, oneTransaction: Bool = false) async throws -> (rows: Int, seconds: Double) {
        var pages: [String] = []
        try await single { connection in
            try await connection.query("DROP TABLE IF EXISTS raw_records", logger: logger)
            try await connection.query("CREATE TABLE raw_records (LIKE records INCLUDING ALL)", logger: logger)
            var after: Int64 = Int64.min
            while true {
                var page: String?
                var last: Int64?
                for try await (json, top) in try await connection.query("""
                    SELECT json_agg(r)::text, max(r.hub_seq) FROM
                        (SELECT * FROM records WHERE hub_seq > \(after) ORDER BY hub_seq LIMIT \(batch)) r
                    """, logger: logger).decode((String?, Int64?).self) { (page, last) = (json, top) }
                guard let page, let last else { break }
                pages.append(page)
                after = last
            }
        }
        var rows = 0
        let start = DispatchTime.now().uptimeNanoseconds
        @Sendable func insert(_ page: String, on connection: PostgresConnection) async throws {
            var binds = PostgresBindings()
            binds.append(page)
            try await connection.query(PostgresQuery(unsafeSQL: """
                INSERT INTO raw_records SELECT * FROM json_populate_recordset(NULL::raw_records, $1::json)
                """, binds: binds), logger: logger)
        }
        if oneTransaction {
            try await connectionTransaction { connection in for page in pages { try await insert(page, on: connection) } }
        } else {
            for page in pages { try await connectionTransaction { connection in try await insert(page, on: connection) } }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        try await single { connection in
            for try await count in try await connection.query("SELECT count(*) FROM raw_records", logger: logger).decode(Int.self) { rows = count }
        }
        return (rows, seconds)
    }
}
