import Foundation
import HubReports
import HubSQLite

extension ReportRenderer {
    /// A report read from a SQLite store the test set up directly, as the server reads it (HubCore on the file).
    static func render(_ request: ReportRequest, store: HubStore, now: Date) async throws -> String {
        try await render(request, storage: try HubService(path: store.path, readOnly: true), now: now)
    }
}
