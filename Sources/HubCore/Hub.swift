/// The hub's domain and operations written once for every storage engine (SQLite: HubStore; PostgreSQL:
/// HubPostgres): what a push, a report, an enrolment or a resolution decides, apart from how a store keeps it.
public enum Hub {}

extension Hub {
    /// The SQL condition of a visit reports count (`records` row, its columns prefixed by `alias`): live, and not
    /// rejected by a coordinator (issue 33). A rejected visit stays in the data, the lists and the exports.
    package static func counted(_ alias: String = "") -> String {
        "\(alias)deleted = 0 AND (\(alias)review IS NULL OR \(alias)review <> 'rejected')"
    }
}
