import HubCore
import Crypto
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

/// The hub's central store: one SQLite file holding every visit, every device, the conflict log and
/// the quarantine. Never holds a raw citizen ID.
///
/// - Note: A `HubStore` is one connection, used by one thread at a time (the server gives the writer
///   and the readers their own).
public final class HubStore {
    /// The file.
    public let path: String
    let db: Database
    /// The hub's own replica id (for hub-authored writes).
    public let replicaID: ReplicaID
    /// Changes when the store is found restored from an older copy (HubStore+Incarnation.swift).
    public internal(set) var incarnation = ""
    /// The change number the store had reached before it was found restored, if it was at this open.
    public internal(set) var restoredFrom: UInt64?
    /// Erasures under way on this (the writer's) connection: secure_delete stays on while there is one.
    var erasures = 0
    /// The change counter this connection last wrote to the high-water mark (nil: none yet).
    var markedSeq: Int?
    /// How far ahead of the hub's clock a stamp may be.
    public var maxDriftMillis: UInt64 = WireLimits.defaultMaxDriftMillis
    /// Whether merges keep the report aggregates up to date. Only the benchmark turns this off, to
    /// measure what the aggregates cost; reports of a store written with it off are wrong.
    public var maintainsAggregates = true
    let catalogue: CommuneCatalogue

    /// Opens the central store at `path`, creating it (with a new replica id) if missing. The hub's
    /// secrets are not in it (`HubKeyFile`); a store that still holds protocol 2's keyed-hash key forgets it.
    /// - Parameter readOnly: open for reading only (reports, export, the server's readers).
    /// - Parameter now: when the store is opened (a new incarnation taken at open is stamped with it).
    public init(path: String, readOnly: Bool = false, catalogue: CommuneCatalogue = .shared, now: Date = Date()) throws {
        self.path = path
        self.catalogue = catalogue
        let exists = FileManager.default.fileExists(atPath: path)
        var needsAggregates = false
        if readOnly && !exists { throw HubStoreError.missing(path: path) }
        let folder = (path as NSString).deletingLastPathComponent
        if !exists, !folder.isEmpty, !FileManager.default.fileExists(atPath: folder) { throw HubStoreError.folderMissing(path: path) }
        do {
            db = try Database(path: path, mode: readOnly ? .readWrite : .readWriteCreate)
            // The hub is one busy process: a 64 MiB page cache and memory-mapped reads spare it most syscalls.
            try db.execute("PRAGMA cache_size = -65536; PRAGMA mmap_size = 1073741824")
            let version = try db.userVersion
            let application = try db.scalarInt("PRAGMA application_id") ?? 0
            let objects = try db.scalarInt("SELECT count(*) FROM sqlite_master") ?? 0
            if exists && ((version > 0 && application != Int(Self.applicationID)) || (version == 0 && objects > 0)) {
                throw HubStoreError.notAHub(path: path)
            }
            if version != Self.schemaVersion { try db.migrate(Self.migrations) }
            needsAggregates = version >= 1 && version < 3
            if try db.scalarInt("SELECT count(*) FROM hub") == 0 {
                try db.run("INSERT INTO hub (singleton, replica_id, citizen_key, created_at) VALUES (1, ?, '', ?)", [
                    .text(ReplicaID.random().description), .text(ISODate.format(Date())),
                ])
            }
            guard let identity = try db.query("SELECT replica_id, citizen_key FROM hub", row: { ($0.text(0) ?? "", $0.text(1) ?? "") }).first,
                  let replica = ReplicaID(identity.0)
            else { throw HubStoreError.notAHub(path: path) }
            replicaID = replica
            if !readOnly && !identity.1.isEmpty { try Self.destroyLegacyKey(db) }
            let recount = try db.scalarInt("SELECT recount_citizens FROM hub") ?? 0
            if needsAggregates || recount != 0 { try rebuildAggregates() }
            if !readOnly { try checkIncarnation(now: now) }
        } catch let error as HubStoreError {
            throw error
        } catch let error as MigrationError {
            if case .schemaTooNew(let found, let supported) = error {
                throw HubStoreError.schemaTooNew(path: path, found: found, supported: supported)
            }
            throw error
        } catch let error as SQLiteError {
            throw HubStoreError.database(path: path, problem: error.isDiskFull ? "the disk holding \(path) is full: free space and try again"
                : error.isReadOnly ? "cannot write to \(path) or its folder: check permissions and the disk"
                : "the hub store \(path) could not be used: \(error.message)")
        }
    }

    /// Overwrites protocol 2's keyed-hash key (secure delete, WAL truncated): pseudonyms need no
    /// shared key, and a key left in the file would let a copy of it reverse every old hash.
    static func destroyLegacyKey(_ db: Database) throws {
        try db.execute("PRAGMA secure_delete = ON")
        try db.run("UPDATE hub SET citizen_key = ''")
        try db.execute("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA secure_delete = OFF")
    }

    /// Recomputes the report aggregates from the visits themselves (after an upgrade from a store
    /// that had none), in one transaction.
    public func rebuildAggregates() throws {
        try write {
            try db.execute("DELETE FROM progress_totals; DELETE FROM progress_daily; DELETE FROM citizens; DELETE FROM citizen_counts")
            var aggregates = ReportAggregates()
            for visit in try db.query("SELECT \(HubRow.columns) FROM records", row: { try HubRow.decode($0).visit }) {
                aggregates.add(visit, sign: 1)
            }
            try aggregates.flush(to: db)
            try db.run("UPDATE hub SET recount_citizens = 0")
        }
    }

    /// The schema version of the open store, read from it (a health check: fails if the store does not answer).
    public func schemaVersionInUse() throws -> Int {
        try read { try db.userVersion }
    }

    /// Reads through a small page cache and no memory map of the file: for one long pass over every
    /// row (export), whose resident memory must not grow with the store.
    public func readForStreaming() throws {
        try db.execute("PRAGMA mmap_size = 0; PRAGMA cache_size = -4096")
    }

    /// Fault injection for tests: writes beyond `pages` pages fail as on a full disk.
    public func limitPages(_ pages: Int) throws {
        try db.execute("PRAGMA max_page_count = \(max(pages, 1))")
    }

    /// Runs `body` in one transaction; a full disk or a lock becomes `HubError.unavailable`.
    func write<T>(_ body: () throws -> T) throws -> T {
        do {
            let result = try db.transaction(body)
            try recordHighWaterMark()
            return result
        } catch let error as SQLiteError {
            throw Self.translate(error)
        }
    }

    /// Runs a read, translating database errors; in one snapshot (a report's totals and lines agree)
    /// unless `snapshot` is false, for a single statement on a hot path (a token check per request).
    func read<T>(snapshot: Bool = true, _ body: () throws -> T) throws -> T {
        do {
            return try snapshot ? db.snapshot(body) : body()
        } catch let error as SQLiteError {
            throw Self.translate(error)
        }
    }

    static func translate(_ error: SQLiteError) -> HubError {
        if error.isDiskFull { return .unavailable("the hub's disk is full: nothing was saved; retry once an operator frees space") }
        if error.code == .busy || error.code == .locked { return .unavailable("the hub is busy: retry in a moment") }
        return .storage(detail: error.description)
    }



}
