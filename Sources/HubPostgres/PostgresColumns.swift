import HubCore
import NIOCore
import PostgresNIO

/// A PostgreSQL row read by column name, as the shared row mappers (`HubRow`) read SQLite's.
struct PostgresColumns: NamedColumns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    // A NULL or a value of another type reads as nil or 0, as SQLite's accessors do; the mappers check what they need.
    func text(_ name: String) -> String? { try? row[name].decode(String?.self) ?? nil }
    func int64(_ name: String) -> Int64 { (try? row[name].decode(Int64?.self) ?? nil) ?? 0 }
    func blob(_ name: String) -> [UInt8]? {
        (try? row[name].decode(ByteBuffer?.self) ?? nil).map { Array($0.readableBytesView) }
    }
}
