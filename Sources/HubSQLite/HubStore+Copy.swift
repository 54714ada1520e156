import HubCore
import Foundation
import SQLiteKit
import SyncProtocol

extension HubStore: HubCopySource {
    /// Up to `limit` rows of a table after `rowid`, in rowid order, as a JSON array of objects keyed by
    /// column (integers as numbers, blobs as PostgreSQL's `\x…` hex text), with the last rowid read;
    /// nil when no row is left. A copy pages through a store no server writes to (the caller holds its lock).
    package func page(of table: String, after rowid: Int64, limit: Int = 2_000) throws -> (json: String, rows: Int, last: Int64)? {
        precondition(Hub.copiedTables.contains(table), "a table of the hub store")
        return try read {
            var text = "["
            var rows = 0
            var last = rowid
            let statement = try db.prepare("SELECT rowid AS copy_rowid, * FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?")
            let names = (0..<statement.columnCount).map { Self.jsonString(statement.columnName($0)) }
            try statement.forEach([.integer(rowid), .integer(Int64(limit))]) { row in
                last = row.int64(0)
                text.append(rows == 0 ? "{" : ",{")
                for (index, name) in names.enumerated().dropFirst() {
                    text.append(index == 1 ? name + ":" : "," + name + ":")
                    switch row.value(Int32(index)) {
                    case .null: text.append("null")
                    case .integer(let value): text.append(String(value))
                    case .real(let value): text.append(String(value))
                    case .text(let value): text.append(Self.jsonString(value))
                    case .blob(let bytes): text.append("\"\\\\x" + bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined() + "\"")
                    }
                }
                text.append("}")
                rows += 1
            }
            return rows == 0 ? nil : (text + "]", rows, last)
        }
    }

    /// A text as a JSON string.
    static func jsonString(_ text: String) -> String {
        var out = JSONWriter(capacity: text.utf8.count + 2)
        out.string(text)
        return String(decoding: out.bytes, as: UTF8.self)
    }
}
