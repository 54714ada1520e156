import SQLiteKit

extension FieldStore {
    /// `PRAGMA application_id` of field stores ("FSYF"), so another SQLite file is never mistaken for one.
    static let applicationID: Int32 = 0x4653_5946

    /// The schema, one migration per version.
    static let migrations: [Migration] = [
        Migration(version: 1, sql: """
            CREATE TABLE replica (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                replica_id TEXT NOT NULL,
                seq INTEGER NOT NULL DEFAULT 0,
                clock_ms INTEGER NOT NULL DEFAULT 0,
                clock_counter INTEGER NOT NULL DEFAULT 0,
                volunteer TEXT NOT NULL,
                team TEXT NOT NULL,
                commune TEXT NOT NULL,
                consent_policy TEXT NOT NULL,
                created_at TEXT NOT NULL
            );
            -- Enrolment, keys and sync checkpoints.
            CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            -- One row per visit: the current value of every field, and its sync metadata
            -- (version vector and per-field stamps, SyncCore.MetadataCodec) in `meta`.
            CREATE TABLE visits (
                id TEXT PRIMARY KEY,
                service TEXT NOT NULL,
                outcome TEXT NOT NULL,
                commune TEXT NOT NULL,
                name TEXT NOT NULL,
                name_fold TEXT NOT NULL,
                cccd_masked TEXT,
                cccd_hash TEXT,
                cccd_raw TEXT,
                phone TEXT,
                reason TEXT,
                note TEXT NOT NULL,
                note_fold TEXT NOT NULL,
                visited_at TEXT NOT NULL,
                volunteer TEXT NOT NULL,
                team TEXT NOT NULL,
                consent_at TEXT,
                consent_by TEXT,
                consent_policy TEXT,
                deleted INTEGER NOT NULL DEFAULT 0,
                meta BLOB NOT NULL,
                own_seq INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX visits_by_time ON visits (visited_at);
            CREATE INDEX visits_by_own_seq ON visits (own_seq) WHERE own_seq > 0;
            PRAGMA application_id = \(applicationID);
            """),
        Migration(version: 2, sql: """
            -- Conflicts this replica's merges found (Protocol/README.md §5); they travel to the hub.
            CREATE TABLE conflicts (
                id TEXT PRIMARY KEY,
                record TEXT NOT NULL,
                body TEXT NOT NULL,
                detected_at TEXT NOT NULL,
                pushed INTEGER NOT NULL DEFAULT 0
            );
            CREATE INDEX conflicts_unpushed ON conflicts (pushed) WHERE pushed = 0;
            """),
        Migration(version: 3, sql: """
            -- A counter of local writes that survives a change of replica id: visits.own_seq holds the
            -- number of the visit's latest local write; the push checkpoint is such a number.
            ALTER TABLE replica ADD COLUMN writes INTEGER NOT NULL DEFAULT 0;
            UPDATE replica SET writes = seq;
            -- Visits the hub refused, flagged until a later edit is accepted.
            CREATE TABLE rejections (record TEXT PRIMARY KEY, code TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL);
            -- Replica ids this store used before (restored from a copy, or a clock that ran ahead).
            CREATE TABLE retired_replicas (replica_id TEXT PRIMARY KEY, retired_at TEXT NOT NULL, reason TEXT NOT NULL);
            """),
        Migration(version: 4, sql: """
            -- Finds the raw CCCDs still waiting for their keyed hash without scanning every visit.
            CREATE INDEX visits_unhashed ON visits (id) WHERE cccd_raw IS NOT NULL AND cccd_hash IS NULL;
            """),
        Migration(version: 5, sql: """
            -- Citizen IDs get pseudonyms from the hub (Protocol/README.md §4.2). A visit whose pseudonym
            -- was filled in or re-derived after the hub had it is sent again (`resend`), as the same write.
            ALTER TABLE visits ADD COLUMN resend INTEGER NOT NULL DEFAULT 0;
            DROP INDEX visits_unhashed;
            CREATE INDEX visits_with_raw ON visits (id) WHERE cccd_raw IS NOT NULL;
            CREATE INDEX visits_resend ON visits (id) WHERE resend = 1;
            """),
        Migration(version: 6, sql: """
            -- An encrypted store keeps a visit's name, phone, note and CCCD sealed here (FieldStore+Lock.swift);
            -- their own columns stay empty.
            ALTER TABLE visits ADD COLUMN sealed BLOB;
            """),
        Migration(version: 7, sql: """
            -- Every local write from now on: its replica id and seq, the visit it went to and its stamp. A store the
            -- hub finds restored from an older copy asks which of these the hub holds (Protocol/README.md §1.1), even
            -- those whose registers a later write here replaced. No personal data: ids and stamps only.
            CREATE TABLE journal (
                replica TEXT NOT NULL, seq INTEGER NOT NULL, record TEXT NOT NULL, millis INTEGER NOT NULL, counter INTEGER NOT NULL,
                PRIMARY KEY (replica, seq)
            ) WITHOUT ROWID;
            """),
        Migration(version: 8, sql: """
            -- The registers of fields a published version of the visit kind added (Protocol/README.md §12), as a JSON
            -- object of wire registers (FieldModel.ExtraRegisters); NULL for none. Sealed with the personal fields in
            -- an encrypted store.
            ALTER TABLE visits ADD COLUMN extra TEXT;
            """),
        Migration(version: 9, sql: """
            -- Records of kinds other than the visit (a training session, …; Protocol/README.md §12): the whole replicated
            -- state as JSON, with the kind, the commune, the record's time and whether it is deleted beside it for lists,
            -- and own_seq as for visits (the number of its latest local write, 0 for none).
            CREATE TABLE kind_records (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, state TEXT NOT NULL, commune TEXT NOT NULL, at TEXT NOT NULL,
                deleted INTEGER NOT NULL DEFAULT 0, own_seq INTEGER NOT NULL DEFAULT 0
            ) WITHOUT ROWID;
            CREATE INDEX kind_records_by_time ON kind_records (kind, at);
            CREATE INDEX kind_records_by_own_seq ON kind_records (own_seq) WHERE own_seq > 0;
            """),
        Migration(version: 10, sql: """
            -- What changed since a reader last looked, whoever changed it (a write here, a sync, a bundle, a LAN
            -- exchange, a removal outside the team's villages): a counter that every change of a visit or another record
            -- moves, the counter's value on each visit's last change, and counts of visits removed and of records
            -- changed. The app opens only the visits changed since it last looked (FieldStore.generation()).
            CREATE TABLE generation (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1), value INTEGER NOT NULL, removals INTEGER NOT NULL, records INTEGER NOT NULL
            );
            INSERT INTO generation VALUES (1, 0, 0, 0);
            ALTER TABLE visits ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
            CREATE INDEX visits_by_generation ON visits (generation);
            CREATE TRIGGER visits_inserted AFTER INSERT ON visits BEGIN
                UPDATE generation SET value = value + 1;
                UPDATE visits SET generation = (SELECT value FROM generation) WHERE id = NEW.id;
            END;
            CREATE TRIGGER visits_updated AFTER UPDATE ON visits WHEN NEW.generation = OLD.generation BEGIN
                UPDATE generation SET value = value + 1;
                UPDATE visits SET generation = (SELECT value FROM generation) WHERE id = NEW.id;
            END;
            CREATE TRIGGER visits_deleted AFTER DELETE ON visits BEGIN UPDATE generation SET value = value + 1, removals = removals + 1; END;
            CREATE TRIGGER kind_records_inserted AFTER INSERT ON kind_records BEGIN UPDATE generation SET value = value + 1, records = records + 1; END;
            CREATE TRIGGER kind_records_updated AFTER UPDATE ON kind_records BEGIN UPDATE generation SET value = value + 1, records = records + 1; END;
            CREATE TRIGGER kind_records_deleted AFTER DELETE ON kind_records BEGIN UPDATE generation SET value = value + 1, records = records + 1; END;
            """),
    ]

    /// The newest schema version this program knows.
    static var schemaVersion: Int { migrations.map(\.version).max() ?? 0 }
}
