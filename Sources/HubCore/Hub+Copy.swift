import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Copying a hub store, written once for every storage engine.
extension Hub {
    /// The tables a copy to another store takes, parents first (the aggregates are SQLite's own).
    package static let copiedTables = ["hub", "devices", "enrollment_codes", "replicas", "records", "batches", "conflicts",
                                       "quarantine", "refusals", "targets", "pseudonym_use", "audit_log", "forgotten", "kinds", "kind_records", "villages"]
}

/// A hub store another engine's store can be copied from, table by table (`fieldsync-server migrate`).
package protocol HubCopySource {
    /// Up to `limit` rows of a table after `rowid`, in rowid order, as a JSON array of objects keyed by column
    /// (blobs as PostgreSQL's `\\x…` hex text), with the last rowid read; nil when no row is left.
    func page(of table: String, after rowid: Int64, limit: Int) throws -> (json: String, rows: Int, last: Int64)?
}
