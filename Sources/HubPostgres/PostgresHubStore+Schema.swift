import FieldModel
import Foundation
import HubCore
import Logging
import PostgresNIO
import SyncCore

extension PostgresHubStore {
    /// The newest schema version this program knows.
    public static var schemaVersion: Int { migrations.count }

    /// The key of the advisory lock that lets one hub process at a time migrate the schema.
    static let migrationLock: Int64 = 0x4653_5948_0000_0001

    /// The schema, one migration per version: the tables of the SQLite store (HubStore+Schema.swift),
    /// with hub seqs taken from the writing transaction's id (see `PostgresHubStore+Pull.swift`) and
    /// no aggregate tables: reports aggregate the visits with indexed GROUP BY queries, so pushes
    /// through several hub processes share no counter rows.
    static let migrations: [String] = [
        """
        CREATE TABLE hub (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            replica_id TEXT NOT NULL,
            seq BIGINT NOT NULL DEFAULT 0,
            clock_ms BIGINT NOT NULL DEFAULT 0,
            clock_counter BIGINT NOT NULL DEFAULT 0,
            citizen_key TEXT NOT NULL,
            incarnation TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE TABLE records (
            id TEXT PRIMARY KEY,
            hub_seq BIGINT NOT NULL,
            province TEXT NOT NULL,
            commune TEXT NOT NULL,
            team TEXT NOT NULL,
            service TEXT NOT NULL,
            outcome TEXT NOT NULL,
            reason TEXT,
            name TEXT NOT NULL,
            cccd_masked TEXT,
            cccd_hash TEXT,
            phone TEXT,
            note TEXT NOT NULL,
            visited_at TEXT NOT NULL,
            volunteer TEXT NOT NULL,
            consent_at TEXT,
            consent_by TEXT,
            consent_policy TEXT,
            deleted BIGINT NOT NULL,
            meta BYTEA NOT NULL,
            device TEXT,
            updated_at TEXT NOT NULL
        );
        CREATE UNIQUE INDEX records_by_hub_seq ON records (hub_seq);
        CREATE INDEX records_by_commune ON records (commune, hub_seq);
        CREATE INDEX records_by_province ON records (province, hub_seq);
        CREATE INDEX records_by_device ON records (device, visited_at);
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            token_hash TEXT NOT NULL UNIQUE,
            role TEXT NOT NULL,
            team TEXT,
            commune TEXT,
            province TEXT,
            volunteer TEXT,
            enrolled_at TEXT NOT NULL,
            revoked_at TEXT,
            last_sync_at TEXT,
            last_unsynced BIGINT,
            bundle_key TEXT NOT NULL
        );
        CREATE TABLE enrollment_codes (
            code_hash TEXT PRIMARY KEY,
            role TEXT NOT NULL,
            team TEXT,
            commune TEXT,
            province TEXT,
            created_at TEXT NOT NULL,
            expires_at TEXT NOT NULL,
            used_at TEXT,
            device TEXT
        );
        CREATE TABLE replicas (
            replica_id TEXT PRIMARY KEY,
            device TEXT NOT NULL,
            max_seq BIGINT NOT NULL,
            first_seen_at TEXT NOT NULL
        );
        CREATE INDEX replicas_by_device ON replicas (device);
        CREATE TABLE batches (
            device TEXT NOT NULL,
            batch TEXT NOT NULL,
            received_at TEXT NOT NULL,
            received BIGINT NOT NULL,
            already_known BIGINT NOT NULL,
            fast_forward BIGINT NOT NULL,
            conflicts BIGINT NOT NULL,
            rejected BIGINT NOT NULL,
            merged BIGINT NOT NULL,
            edit_vs_delete BIGINT NOT NULL
        );
        CREATE INDEX batches_by_time ON batches (received_at);
        CREATE TABLE conflicts (
            id TEXT PRIMARY KEY,
            record TEXT NOT NULL,
            body TEXT NOT NULL,
            detected_by TEXT NOT NULL,
            device TEXT,
            found_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            resolution TEXT
        );
        CREATE INDEX conflicts_by_time ON conflicts (found_at);
        CREATE INDEX conflicts_by_record ON conflicts (record);
        CREATE TABLE quarantine (
            id BIGSERIAL PRIMARY KEY,
            device TEXT NOT NULL,
            record TEXT NOT NULL,
            code TEXT NOT NULL,
            reason TEXT NOT NULL,
            payload TEXT NOT NULL,
            payload_size BIGINT NOT NULL,
            attempts BIGINT NOT NULL DEFAULT 1,
            received_at TEXT NOT NULL,
            resolved_at TEXT
        );
        CREATE UNIQUE INDEX quarantine_open ON quarantine (device, record) WHERE resolved_at IS NULL;
        CREATE TABLE refusals (
            id BIGSERIAL PRIMARY KEY,
            device TEXT,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
        """
        ALTER TABLE devices ADD COLUMN login TEXT;
        ALTER TABLE devices ADD COLUMN passphrase_hash TEXT;
        CREATE UNIQUE INDEX devices_by_login ON devices (login) WHERE login IS NOT NULL;
        """,
        """
        CREATE TABLE targets (
            commune TEXT NOT NULL, service TEXT NOT NULL, target BIGINT NOT NULL,
            PRIMARY KEY (commune, service)
        );
        """,
        """
        CREATE TABLE console_sessions (key_hash TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at TEXT);
        CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
        """,
        """
        ALTER TABLE hub ADD COLUMN pseudonym_key TEXT NOT NULL DEFAULT '';
        UPDATE hub SET citizen_key = '';
        CREATE TABLE pseudonym_use (
            device TEXT NOT NULL, day TEXT NOT NULL, used BIGINT NOT NULL,
            PRIMARY KEY (device, day)
        );
        """,
        """
        CREATE TABLE audit_log (
            seq BIGINT PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
            scope TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL
        );
        ALTER TABLE hub ADD COLUMN audit_head TEXT NOT NULL DEFAULT '';
        """,
        """
        ALTER TABLE devices ADD COLUMN pulled_through BIGINT NOT NULL DEFAULT 0;
        ALTER TABLE devices ADD COLUMN pulled_at TEXT;
        ALTER TABLE hub ADD COLUMN horizon BIGINT NOT NULL DEFAULT 0;
        CREATE TABLE forgotten (
            id TEXT PRIMARY KEY, hub_seq BIGINT NOT NULL UNIQUE, commune TEXT NOT NULL, province TEXT NOT NULL,
            state BYTEA NOT NULL, at TEXT NOT NULL
        );
        CREATE INDEX forgotten_by_commune ON forgotten (commune, hub_seq);
        CREATE INDEX forgotten_by_province ON forgotten (province, hub_seq);
        """,
        "ALTER TABLE records ADD COLUMN sent_in TEXT;",
        // Every write (dot) received from now on, as on SQLite (HubStore+Schema.swift, version 18).
        """
        CREATE TABLE writes (
            replica BIGINT NOT NULL, seq BIGINT NOT NULL, record BIGINT NOT NULL, millis BIGINT NOT NULL, counter BIGINT NOT NULL,
            PRIMARY KEY (replica, seq)
        )
        """,
        // The FieldSync version each device's requests name, and since when (§8.2).
        "ALTER TABLE devices ADD COLUMN client_version TEXT; ALTER TABLE devices ADD COLUMN client_version_at TEXT",
        // When the store took its incarnation, as on SQLite (version 20, HubEngine+Pull.swift).
        "ALTER TABLE hub ADD COLUMN incarnation_at TEXT",
        // Every version of a record kind published, as on SQLite (version 21, Protocol/README.md §12).
        """
        CREATE TABLE kinds (
            kind TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL, published_at TEXT NOT NULL,
            published_by TEXT NOT NULL, PRIMARY KEY (kind, version)
        )
        """,
        // The registers of published fields, as on SQLite (version 22, §12).
        "ALTER TABLE records ADD COLUMN extra TEXT",
        // Records of kinds other than the visit, as on SQLite (version 23, HubCore.KindRecord).
        """
        CREATE TABLE kind_records (
            id TEXT PRIMARY KEY, kind TEXT NOT NULL, hub_seq BIGINT NOT NULL UNIQUE, province TEXT NOT NULL, commune TEXT NOT NULL,
            team TEXT NOT NULL, at TEXT NOT NULL, code TEXT, amount BIGINT, deleted BIGINT NOT NULL, state TEXT NOT NULL,
            device TEXT, updated_at TEXT NOT NULL, sent_in TEXT
        );
        CREATE INDEX kind_records_by_commune ON kind_records (commune, hub_seq);
        CREATE INDEX kind_records_by_province ON kind_records (province, hub_seq);
        CREATE INDEX kind_records_by_kind ON kind_records (kind, commune, at)
        """,
        // Villages and the teams that cover them, as on SQLite (version 24, issue 31).
        """
        CREATE TABLE villages (
            commune TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, name_fold TEXT NOT NULL, code TEXT, team TEXT,
            province TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (commune, key)
        );
        CREATE INDEX villages_by_province ON villages (province)
        """,
        // Households and follow-ups, as on SQLite (version 25, issue 31).
        """
        ALTER TABLE records ADD COLUMN household TEXT;
        ALTER TABLE records ADD COLUMN follow_up TEXT;
        ALTER TABLE kind_records ADD COLUMN village TEXT;
        CREATE INDEX records_by_household ON records (household) WHERE household IS NOT NULL;
        CREATE INDEX records_by_follow_up ON records (commune, follow_up) WHERE follow_up IS NOT NULL;
        CREATE INDEX kind_records_by_village ON kind_records (commune, village) WHERE village IS NOT NULL;
        CREATE INDEX records_by_citizen ON records (province, service, cccd_hash) WHERE cccd_hash IS NOT NULL AND deleted = 0
        """,
        // Reviews, as on SQLite (version 26, issue 33).
        """
        ALTER TABLE records ADD COLUMN review TEXT
        """,
        // The review counts' index, as on SQLite (version 27).
        """
        CREATE INDEX records_by_review ON records (review, commune) WHERE review IS NOT NULL;
        ALTER TABLE kind_records ADD COLUMN review TEXT
        """,
    ]

    /// Brings the schema up to date under an advisory lock (several hub processes starting at once
    /// migrate it once), creates the hub's identity if missing, and returns it.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> (ReplicaID, String) {
        try await client.withConnection { connection in
            try await connection.query("BEGIN", logger: logger)
            do {
                try await connection.query("SELECT pg_advisory_xact_lock(\(migrationLock))", logger: logger)
                try await connection.query("CREATE TABLE IF NOT EXISTS fieldsync_schema (version INTEGER NOT NULL)", logger: logger)
                var version = 0
                for try await found in try await connection.query("SELECT max(version) FROM fieldsync_schema", logger: logger)
                    .decode(Int?.self) { version = found ?? 0 }
                guard version <= migrations.count else {
                    throw HubError.unavailable("the hub database has schema \(version), this fieldsync-server knows up to "
                                               + "\(migrations.count): install the newer version")
                }
                for (index, sql) in migrations.enumerated() where index + 1 > version {
                    // A statement at a time: the extended protocol postgres-nio speaks takes one per query.
                    for statement in sql.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespacesAndNewlines) })
                    where !statement.isEmpty {
                        try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                    }
                    try await connection.query("INSERT INTO fieldsync_schema (version) VALUES (\(index + 1))", logger: logger)
                }
                let replica = ReplicaID.random().description
                let incarnation = Hub.randomHex(bytes: 8)
                try await connection.query("""
                    INSERT INTO hub (singleton, replica_id, citizen_key, incarnation, created_at)
                    VALUES (1, \(replica), '', \(incarnation), \(ISODate.format(Date()))) ON CONFLICT DO NOTHING
                    """, logger: logger)
                var identity: (ReplicaID, String)?
                for try await (id, incarnation) in try await connection.query(
                    "SELECT replica_id, incarnation FROM hub", logger: logger).decode((String, String).self) {
                    if let id = ReplicaID(id) { identity = (id, incarnation) }
                }
                try await connection.query("COMMIT", logger: logger)
                guard let identity else { throw HubError.unavailable("the hub database has no readable identity row: it is not a FieldSync hub") }
                return identity
            } catch {
                // Losing this error is safe: the migration failed already and that error is thrown.
                _ = try? await connection.query("ROLLBACK", logger: logger)
                throw error
            }
        }
    }

    /// The schema version of the database, read from it.
    public func schemaVersion() async throws -> Int {
        try await single { connection in
            var version = 0
            for try await found in try await connection.query("SELECT max(version) FROM fieldsync_schema", logger: logger)
                .decode(Int?.self) { version = found ?? 0 }
            return version
        }
    }
}
