/// The hub's domain and operations written once for every storage engine (SQLite: HubStore; PostgreSQL:
/// HubPostgres): what a push, a report, an enrolment or a resolution decides, apart from how a store keeps it.
public enum Hub {}
