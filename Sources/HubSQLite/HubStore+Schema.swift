import HubCore
import SQLiteKit

extension HubStore {
    /// `PRAGMA application_id` of hub stores ("FSYH").
    static let applicationID: Int32 = 0x4653_5948

    /// The central store's schema, one migration per version.
    static let migrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE hub (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                replica_id TEXT NOT NULL,
                seq INTEGER NOT NULL DEFAULT 0,
                clock_ms INTEGER NOT NULL DEFAULT 0,
                clock_counter INTEGER NOT NULL DEFAULT 0,
                hub_seq INTEGER NOT NULL DEFAULT 0,
                citizen_key TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            -- The current state of every visit: field values in columns (for reports and scope),
            -- stamps and version vector in `meta` (SyncCore.MetadataCodec). `hub_seq` numbers changes.
            -- A rowid table: rows are appended in arrival order; only the small `id` index takes random
            -- UUID inserts (a WITHOUT ROWID table would move whole rows around its B-tree).
            CREATE TABLE records (
                id TEXT NOT NULL UNIQUE,
                hub_seq INTEGER NOT NULL,
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
                deleted INTEGER NOT NULL,
                meta BLOB NOT NULL,
                device TEXT,
                updated_at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX records_by_hub_seq ON records (hub_seq);
            CREATE INDEX records_by_commune ON records (commune, hub_seq);
            CREATE INDEX records_by_province ON records (province, hub_seq);
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
                last_unsynced INTEGER,
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
            -- The highest seq seen from each replica, and the device it belongs to (restored-laptop rule).
            CREATE TABLE replicas (
                replica_id TEXT PRIMARY KEY,
                device TEXT NOT NULL,
                max_seq INTEGER NOT NULL,
                first_seen_at TEXT NOT NULL
            );
            CREATE TABLE batches (
                device TEXT NOT NULL,
                batch TEXT NOT NULL,
                received_at TEXT NOT NULL,
                received INTEGER NOT NULL,
                already_known INTEGER NOT NULL,
                fast_forward INTEGER NOT NULL,
                conflicts INTEGER NOT NULL,
                rejected INTEGER NOT NULL
            );
            CREATE INDEX batches_by_time ON batches (received_at);
            CREATE TABLE conflicts (
                id TEXT PRIMARY KEY,
                record TEXT NOT NULL,
                body TEXT NOT NULL,
                detected_by TEXT NOT NULL,
                device TEXT,
                found_at TEXT NOT NULL
            );
            CREATE INDEX conflicts_by_time ON conflicts (found_at);
            -- Records refused by validation, kept with their payload until someone corrects them.
            CREATE TABLE quarantine (
                id INTEGER PRIMARY KEY,
                device TEXT NOT NULL,
                record TEXT NOT NULL,
                code TEXT NOT NULL,
                reason TEXT NOT NULL,
                payload TEXT NOT NULL,
                received_at TEXT NOT NULL,
                resolved_at TEXT
            );
            -- Whole pushes refused by the restored-laptop or future-clock rule.
            CREATE TABLE refusals (
                id INTEGER PRIMARY KEY,
                device TEXT,
                kind TEXT NOT NULL,
                detail TEXT NOT NULL,
                at TEXT NOT NULL
            );
            PRAGMA application_id = \(applicationID);
            """),
        Migration(version: 2, sql: """
            -- Aggregates for the coordinators' reports, kept up to date in the transaction of every
            -- write, so reports read small tables instead of scanning visits. Deleted visits do not count.
            CREATE TABLE progress_totals (
                commune TEXT NOT NULL, service TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL,
                visits INTEGER NOT NULL,
                PRIMARY KEY (commune, service, outcome, reason)
            ) WITHOUT ROWID;
            -- Distinct citizens per commune and service ('*': any service), keyed by the first 64 bits of
            -- the keyed CCCD hash (a compact key; two of 10 million citizens share one with odds of 3 in a million).
            CREATE TABLE citizens (
                commune TEXT NOT NULL, service TEXT NOT NULL, citizen INTEGER NOT NULL, visits INTEGER NOT NULL,
                PRIMARY KEY (commune, service, citizen)
            ) WITHOUT ROWID;
            -- Their counts, plus visits with no CCCD (each counted as one citizen).
            CREATE TABLE citizen_counts (
                commune TEXT NOT NULL, service TEXT NOT NULL, citizens INTEGER NOT NULL, anonymous INTEGER NOT NULL,
                PRIMARY KEY (commune, service)
            ) WITHOUT ROWID;
            -- Date-bounded reports read this covering index instead of the table.
            CREATE INDEX records_by_time ON records (visited_at, commune, service, outcome, reason, cccd_hash, deleted);
            CREATE INDEX records_by_device ON records (device, visited_at);
            CREATE INDEX records_by_citizen ON records (province, service, cccd_hash) WHERE cccd_hash IS NOT NULL AND deleted = 0;
            """),
        Migration(version: 3, sql: """
            -- Two indexes of version 2 cost pushes more than they gave reports: random hash keys and a
            -- wide covering index. Date-bounded counts now come from a per-day aggregate, duplicates
            -- from the distinct-citizen set.
            DROP INDEX records_by_time;
            DROP INDEX records_by_citizen;
            CREATE TABLE progress_daily (
                day TEXT NOT NULL, commune TEXT NOT NULL, service TEXT NOT NULL, outcome TEXT NOT NULL, reason TEXT NOT NULL,
                visits INTEGER NOT NULL,
                PRIMARY KEY (day, commune, service, outcome, reason)
            ) WITHOUT ROWID;
            CREATE INDEX citizens_repeated ON citizens (commune, service) WHERE visits > 1 AND service <> '*';
            """),
        Migration(version: 4, sql: """
            -- Bounded quarantine (HubLimits): one open entry per device and record, its original size and
            -- how often it came; the payload itself is cut, or dropped beyond the device's quota.
            ALTER TABLE quarantine ADD COLUMN payload_size INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE quarantine ADD COLUMN attempts INTEGER NOT NULL DEFAULT 1;
            UPDATE quarantine SET payload_size = length(CAST(payload AS BLOB));
            -- Older open entries of the same device and record are marked superseded by the newest (kept, not deleted).
            UPDATE quarantine SET resolved_at = received_at WHERE resolved_at IS NULL AND id NOT IN
                (SELECT max(id) FROM quarantine WHERE resolved_at IS NULL GROUP BY device, record);
            CREATE UNIQUE INDEX quarantine_open ON quarantine (device, record) WHERE resolved_at IS NULL;
            """),
        Migration(version: 5, sql: """
            -- Per-field causality (protocol 2): concurrent pushes that touched different fields are
            -- counted as merged, an edit meeting a deletion as edit-vs-delete; conflict entries carry
            -- their kind (protocol-1 entries were all of kind conflict) and are found by record.
            ALTER TABLE batches ADD COLUMN merged INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE batches ADD COLUMN edit_vs_delete INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE conflicts ADD COLUMN kind TEXT NOT NULL DEFAULT 'conflict';
            CREATE INDEX conflicts_by_record ON conflicts (record);
            """),
        Migration(version: 6, sql: """
            -- Coordinators resolve conflict entries: the decision, who made it and when, as JSON
            -- (ConflictResolution); NULL while the entry is open.
            ALTER TABLE conflicts ADD COLUMN resolution TEXT;
            """),
        Migration(version: 7, sql: """
            -- The store's incarnation (HubStore.incarnation): a new one when the store is found restored
            -- from a backup, so devices send again what the backup lacks. Set at open when empty.
            ALTER TABLE hub ADD COLUMN incarnation TEXT NOT NULL DEFAULT '';
            """),
        Migration(version: 8, sql: """
            -- Days are Vietnam days (FieldModel.VietnamTime, UTC+7): a visit at 06:30 on the 25th in
            -- Vietnam counts on the 25th, not on the UTC day before. The per-day aggregate is recounted.
            DELETE FROM progress_daily;
            INSERT INTO progress_daily (day, commune, service, outcome, reason, visits)
                SELECT date(visited_at, '+7 hours'), commune, service, outcome, coalesce(reason, ''), count(*)
                FROM records WHERE deleted = 0 GROUP BY 1, 2, 3, 4, 5;
            """),
        Migration(version: 9, sql: """
            -- Coordinators sign in to the web console with a login and a passphrase (bcrypt hash only).
            ALTER TABLE devices ADD COLUMN login TEXT;
            ALTER TABLE devices ADD COLUMN passphrase_hash TEXT;
            CREATE UNIQUE INDEX devices_by_login ON devices (login) WHERE login IS NOT NULL;
            """),
        Migration(version: 10, sql: """
            -- Targets coordinators upload in the console (done visits per commune and service).
            CREATE TABLE targets (
                commune TEXT NOT NULL, service TEXT NOT NULL, target INTEGER NOT NULL,
                PRIMARY KEY (commune, service)
            );
            """),
        Migration(version: 11, sql: """
            -- Console sessions, shared by every reader of the store and kept across restarts: the hash of
            -- the cookie's session id (never the id), the session as JSON, its expiry.
            CREATE TABLE console_sessions (key_hash TEXT PRIMARY KEY, value TEXT NOT NULL, expires_at TEXT);
            CREATE INDEX console_sessions_by_expiry ON console_sessions (expires_at);
            """),
        Migration(version: 12, sql: """
            -- Visits per device come from this index alone (no table row per visit for `deleted`).
            DROP INDEX records_by_device;
            CREATE INDEX records_by_device ON records (device, visited_at, deleted);
            """),
        Migration(version: 13, sql: """
            -- Citizen IDs become pseudonyms of an oblivious PRF whose key is in the key file only: the
            -- public half of the key in use (to refuse a key file that is not this hub's), and each
            -- device's evaluations per Vietnam day (a stolen token must not become a brute-force oracle).
            -- The keyed-hash key of protocol 2 is overwritten at open (HubStore.destroyLegacyKey).
            ALTER TABLE hub ADD COLUMN pseudonym_key TEXT NOT NULL DEFAULT '';
            CREATE TABLE pseudonym_use (
                device TEXT NOT NULL, day TEXT NOT NULL, used INTEGER NOT NULL,
                PRIMARY KEY (device, day)
            );
            """),
        Migration(version: 14, sql: """
            -- The audit log (HubStore+Audit.swift): append-only, hash-chained; the hub row keeps its head.
            CREATE TABLE audit_log (
                seq INTEGER PRIMARY KEY, at TEXT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL,
                scope TEXT NOT NULL, detail TEXT NOT NULL, hash TEXT NOT NULL
            );
            ALTER TABLE hub ADD COLUMN audit_head TEXT NOT NULL DEFAULT '';
            """),
        Migration(version: 15, sql: """
            -- The tombstone horizon (HubStore+Compaction.swift, Protocol/README.md §7.2): each device's pull
            -- checkpoint, and the deleted visits compacted below it (id, commune, reduced state as `meta`), numbered as changes.
            ALTER TABLE devices ADD COLUMN pulled_through INTEGER NOT NULL DEFAULT 0;
            ALTER TABLE devices ADD COLUMN pulled_at TEXT;
            ALTER TABLE hub ADD COLUMN horizon INTEGER NOT NULL DEFAULT 0;
            CREATE TABLE forgotten (
                id TEXT PRIMARY KEY, hub_seq INTEGER NOT NULL, commune TEXT NOT NULL, province TEXT NOT NULL,
                state BLOB NOT NULL, at TEXT NOT NULL
            );
            CREATE UNIQUE INDEX forgotten_by_hub_seq ON forgotten (hub_seq);
            CREATE INDEX forgotten_by_commune ON forgotten (commune, hub_seq);
            CREATE INDEX forgotten_by_province ON forgotten (province, hub_seq);
            """),
        Migration(version: 16, sql: """
            -- The device and sync session (`device session`) whose push this row's state is, exactly as sent (NULL:
            -- a merge, a hub write): the pulls of that session pass the row without sending it (Protocol/README.md §6.2).
            ALTER TABLE records ADD COLUMN sent_in TEXT;
            """),
        Migration(version: 17, sql: """
            -- Citizen keys were 0 for every pseudonym (`p1.…` is not hex), so every CCCD holder of a commune
            -- counted as one citizen and shared one duplicate group. The key is now the first 64 bits of
            -- SHA-256 of the whole match form (ReportAggregates.citizenKey): the distinct-citizen tables are
            -- recounted from the visits at the next open (HubStore.init), in one transaction that clears the flag.
            ALTER TABLE hub ADD COLUMN recount_citizens INTEGER NOT NULL DEFAULT 0;
            UPDATE hub SET recount_citizens = 1;
            """),
        Migration(version: 18, sql: """
            -- Every write (dot) the hub received from now on: its replica and seq, the record it went to (the first
            -- 64 bits of SHA-256 of the id) and its stamp. A restored laptop that writes again under its old replica
            -- id reuses one of these on some visit and is refused (Protocol/README.md §1); after the refusal it asks
            -- which of its writes the hub holds (§1.1). Writes received before this version are not listed: for
            -- those the stored visit's registers answer.
            CREATE TABLE writes (
                replica INTEGER NOT NULL, seq INTEGER NOT NULL, record INTEGER NOT NULL, millis INTEGER NOT NULL, counter INTEGER NOT NULL,
                PRIMARY KEY (replica, seq)
            ) WITHOUT ROWID;
            """),
        Migration(version: 19, sql: """
            -- The FieldSync version each device's requests name (its FieldSync-Client header), and since when (§8.2).
            ALTER TABLE devices ADD COLUMN client_version TEXT;
            ALTER TABLE devices ADD COLUMN client_version_at TEXT;
            """),
        Migration(version: 20, sql: """
            -- When the store took its incarnation (found restored, or told to): a device pulling past every change the
            -- store holds soon after is one that has not yet heard of it, not another restore (HubEngine+Pull.swift).
            ALTER TABLE hub ADD COLUMN incarnation_at TEXT;
            """),
        Migration(version: 21, sql: """
            -- Every version of a record kind published at this hub (Protocol/README.md §12); the built-in first versions
            -- are FieldSync's own and not stored.
            CREATE TABLE kinds (
                kind TEXT NOT NULL, version INTEGER NOT NULL, document TEXT NOT NULL, published_at TEXT NOT NULL,
                published_by TEXT NOT NULL, PRIMARY KEY (kind, version)
            );
            """),
        Migration(version: 22, sql: """
            -- The registers of fields a published version of the visit kind added (§12), as a JSON object of wire
            -- registers (FieldModel.ExtraRegisters); NULL for none, so a visit without them is stored as before.
            ALTER TABLE records ADD COLUMN extra TEXT;
            """),
        Migration(version: 23, sql: """
            -- Records of kinds other than the visit (a training session, …; Protocol/README.md §12): the whole state as
            -- JSON, and the values reports filter and group by as indexed projections (HubCore.KindRecord). They share
            -- the change numbers of `records`, so one pull cursor passes both.
            CREATE TABLE kind_records (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, hub_seq INTEGER NOT NULL, province TEXT NOT NULL, commune TEXT NOT NULL,
                team TEXT NOT NULL, at TEXT NOT NULL, code TEXT, amount INTEGER, deleted INTEGER NOT NULL, state TEXT NOT NULL,
                device TEXT, updated_at TEXT NOT NULL, sent_in TEXT
            );
            CREATE UNIQUE INDEX kind_records_by_hub_seq ON kind_records (hub_seq);
            CREATE INDEX kind_records_by_commune ON kind_records (commune, hub_seq);
            CREATE INDEX kind_records_by_province ON kind_records (province, hub_seq);
            CREATE INDEX kind_records_by_kind ON kind_records (kind, commune, at);
            """),
        Migration(version: 24, sql: """
            -- Villages and residential groups of a commune and the team that covers each (issue 31); `key` is the
            -- commune's own code for it, else its name without diacritics.
            CREATE TABLE villages (
                commune TEXT NOT NULL, key TEXT NOT NULL, name TEXT NOT NULL, name_fold TEXT NOT NULL, code TEXT, team TEXT,
                province TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL, PRIMARY KEY (commune, key)
            );
            CREATE INDEX villages_by_province ON villages (province);
            """),
        Migration(version: 25, sql: """
            -- Households and follow-ups (issue 31): a visit's household and its open "come back on" date as projections
            -- of its registers, a household's village as a projection of its state.
            ALTER TABLE records ADD COLUMN household TEXT;
            ALTER TABLE records ADD COLUMN follow_up TEXT;
            ALTER TABLE kind_records ADD COLUMN village TEXT;
            CREATE INDEX records_by_household ON records (household) WHERE household IS NOT NULL;
            CREATE INDEX records_by_follow_up ON records (commune, follow_up) WHERE follow_up IS NOT NULL;
            CREATE INDEX kind_records_by_village ON kind_records (commune, village) WHERE village IS NOT NULL;
            """),
        Migration(version: 26, sql: """
            -- Reviews (issue 33): a visit's review state as a projection of its registers; a rejected visit stays in
            -- the data but counts in no report.
            ALTER TABLE records ADD COLUMN review TEXT;
            """),
        Migration(version: 27, sql: """
            -- How many visits are accepted, returned, rejected (the progress report's review line) without reading them all;
            -- a record of another kind's review (a rejected training session counts in no total).
            CREATE INDEX records_by_review ON records (review, commune) WHERE review IS NOT NULL;
            ALTER TABLE kind_records ADD COLUMN review TEXT;
            """),
    ]

    /// The newest schema version this program knows.
    static var schemaVersion: Int { migrations.map(\.version).max() ?? 0 }
}
