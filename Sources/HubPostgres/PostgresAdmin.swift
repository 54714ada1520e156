import Foundation
import Logging
import PostgresNIO

/// Creates and drops whole databases on a server (tests and benchmarks: one fresh database each).
package enum PostgresAdmin {
    /// Runs one statement on the database `url` names.
    static func execute(_ url: String, _ sql: String) async throws {
        let location = try PostgresLocation(url: url)
        let client = PostgresClient(configuration: location.configuration(connections: 1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }

    /// Creates a new, empty database on the server of `url` and returns the URL naming it.
    /// - Parameter template: a database to copy (nobody may be connected to it), as a restored backup would be.
    package static func createDatabase(server url: String, name: String, template: String? = nil) async throws -> String {
        precondition((name + (template ?? "")).allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "a plain database name")
        try await execute(url, "CREATE DATABASE \(name)" + (template.map { " TEMPLATE \($0)" } ?? ""))
        return rename(url, to: name)
    }

    /// Drops a database created by `createDatabase`, closing its connections.
    package static func dropDatabase(server url: String, name: String) async throws {
        precondition(name.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" }, "a plain database name")
        try await execute(url, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// The URL with another database name.
    package static func rename(_ url: String, to name: String) -> String {
        guard var components = URLComponents(string: url) else { return url }
        components.path = "/" + name
        return components.string ?? url
    }
}
