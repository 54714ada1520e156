#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import Platform
import SQLiteKit
import StoreCrypto
import SyncCore

/// A volunteer's replica: one SQLite file on the laptop holding every visit and its sync metadata.
///
/// - Note: One `FieldStore` is used by one thread at a time; several processes may share the file.
public final class FieldStore {
    /// The file.
    public let path: String
    let db: Database
    /// Whose store it is (the replica id changes if the store must re-identify).
    public private(set) var profile: StoreProfile
    /// How personal fields are sealed: nil for a store without a passphrase (FieldStore+Lock.swift).
    public internal(set) var sealer: RowSealer?
    /// A catalogue given by a caller (tests); nil reads the shipped one, on first use only (`log` in the
    /// laptop's own commune never parses it, which keeps the command quick to start).
    private let givenCatalogue: CommuneCatalogue?
    var catalogue: CommuneCatalogue { givenCatalogue ?? .shared }

    private init(path: String, db: Database, catalogue: CommuneCatalogue?) throws {
        self.path = path
        self.db = db
        givenCatalogue = catalogue
        // What is deleted or replaced (a raw ID's old pseudonym, a dropped key, an erased visit) is overwritten, not only unlinked.
        try db.execute("PRAGMA secure_delete = ON")
        guard let profile = try db.query(
            "SELECT replica_id, volunteer, team, commune, consent_policy FROM replica WHERE singleton = 1",
            row: { row in
                (ReplicaID(row.text(0) ?? ""), row.text(1) ?? "", row.text(2) ?? "", row.text(3) ?? "", row.text(4) ?? "")
            }).first,
            let replicaID = profile.0
        else { throw StoreError.damaged(path: path, detail: "its replica identity is missing") }
        self.profile = StoreProfile(replicaID: replicaID, volunteer: profile.1, team: profile.2,
                                    commune: profile.3, consentPolicy: profile.4)
    }

    /// Creates a new store for a volunteer, with a fresh replica id.
    /// - Throws: `StoreError.alreadyExists` if anything is at `path`; `InputError` for a bad team or commune.
    public static func create(at path: String, volunteer: String, team: String, commune: String,
                              consentPolicy: String = "PDPL-2026-v1", catalogue: CommuneCatalogue? = nil,
                              now: Date = Date()) throws -> FieldStore {
        let volunteer = try VietnameseText.clean(volunteer, field: "volunteer name", limit: Visit.nameLimit)
        let team = try TeamCode.validate(team)
        let commune = try (catalogue ?? .shared).resolve(commune).code
        let policy = try VietnameseText.clean(consentPolicy, field: "consent policy", limit: 64)
        guard !path.isEmpty else { throw StoreError.noStorePath }
        guard !FileManager.default.fileExists(atPath: path) else { throw StoreError.alreadyExists(path: path) }
        let folder = FilePaths.folder(of: path)
        guard folder.isEmpty || FileManager.default.fileExists(atPath: folder) else {
            throw StoreError.folderMissing(path: path)
        }
        do {
            let db = try Database(path: path, mode: .readWriteCreate, checkpointOnClose: false)
            try db.migrate(migrations)
            try db.run("""
                INSERT INTO replica (singleton, replica_id, volunteer, team, commune, consent_policy, created_at)
                VALUES (1, ?, ?, ?, ?, ?, ?)
                """, [.text(ReplicaID.random().description), .text(volunteer), .text(team), .text(commune),
                      .text(policy), .text(ISODate.format(now))])
            try db.checkpoint()
            return try FieldStore(path: path, db: db, catalogue: catalogue)
        } catch {
            // A store that could not be fully made is removed, so a retry starts clean.
            // Losing this error is safe: cleaning up a store that failed to initialise; the initialisation error is what is thrown.
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Opens an existing store, upgrading its schema if it is older than this program.
    /// - Throws: `StoreError.missing`, `.notAStore`, `.schemaTooNew`, `.readOnly`, …
    public static func open(at path: String, catalogue: CommuneCatalogue? = nil) throws -> FieldStore {
        guard !path.isEmpty else { throw StoreError.noStorePath }
        guard let isFolder = FilePaths.isFolder(path) else { throw StoreError.missing(path: path) }
        guard !isFolder else { throw StoreError.notAStore(path: path) }
        do {
            // The WAL stays beside the store between commands (one fsync per write instead of four);
            // `init` and every sync fold it back, so the .sqlite file alone is complete up to the last sync.
            let db = try Database(path: path, mode: .readWrite, checkpointOnClose: false)
            let version = try db.userVersion
            let application = try db.scalarInt("PRAGMA application_id") ?? 0
            guard version > 0, application == Int(applicationID) else { throw StoreError.notAStore(path: path) }
            if version != schemaVersion { try db.migrate(migrations) }
            let store = try FieldStore(path: path, db: db, catalogue: catalogue)
            try store.loadLock()
            return store
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Runs `body` in one transaction and translates database errors for the volunteer.
    func write<T>(_ body: () throws -> T) throws -> T {
        do {
            return try db.transaction(body)
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// Translates database errors of a read for the volunteer.
    func read<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw StoreError.wrap(error, path: path)
        }
    }

    /// The replica's counters, read inside the current transaction.
    func loadReplica() throws -> ReplicaState {
        guard let state = try db.query("SELECT seq, clock_ms, clock_counter FROM replica WHERE singleton = 1", row: {
            ReplicaState(id: profile.replicaID, seq: UInt64($0.int64(0)), clockMillis: UInt64($0.int64(1)),
                         clockCounter: UInt32(truncatingIfNeeded: $0.int64(2)))
        }).first else { throw StoreError.damaged(path: path, detail: "its replica identity is missing") }
        return state
    }

    /// Persists the replica's counters, and the local write counter when given (inside the current transaction).
    func saveReplica(_ replica: ReplicaState, writes: Int64? = nil) throws {
        try db.run("UPDATE replica SET seq = ?, clock_ms = ?, clock_counter = ?, writes = coalesce(?, writes) WHERE singleton = 1", [
            .integer(Int64(replica.seq)), .integer(Int64(replica.clock.millis)), .integer(Int64(replica.clock.counter)),
            writes.map { .integer($0) } ?? .null,
        ])
    }

    /// The number of local writes so far (survives a change of replica id).
    func localWrites() throws -> Int64 {
        Int64(try db.scalarInt("SELECT writes FROM replica WHERE singleton = 1") ?? 0)
    }

    /// Re-reads who the store belongs to (after a re-identification).
    func reloadProfile() throws {
        if let id = try db.scalarText("SELECT replica_id FROM replica WHERE singleton = 1").flatMap(ReplicaID.init) {
            profile = StoreProfile(replicaID: id, volunteer: profile.volunteer, team: profile.team, commune: profile.commune,
                                   consentPolicy: profile.consentPolicy)
        }
    }

    /// A value from the settings table.
    func setting(_ key: String) throws -> String? {
        try db.scalarText("SELECT value FROM settings WHERE key = ?", [.text(key)])
    }

    /// Stores a value in the settings table (nil removes it).
    func setSetting(_ key: String, _ value: String?) throws {
        if let value {
            try db.run("INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                       [.text(key), .text(value)])
        } else {
            try db.run("DELETE FROM settings WHERE key = ?", [.text(key)])
        }
    }
}

/// Milliseconds since the Unix epoch, for clock stamps.
func epochMillis(_ date: Date) -> UInt64 {
    UInt64(max(0, (date.timeIntervalSince1970 * 1000).rounded(.down)))
}
