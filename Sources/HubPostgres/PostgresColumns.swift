import HubCore
import NIOCore
import PostgresNIO

/// A PostgreSQL row read by column name, as the shared row mappers (`HubRow`) read SQLite's.
struct PostgresColumns: NamedColumns {
    let row: PostgresRandomAccessRow

    init(_ row: PostgresRow) { self.row = row.makeRandomAccess() }

    // A NULL reads as nil or 0, as SQLite's accessors do; a column the row lacks, or of another type, is an error naming it.
    func cell(_ name: String) throws(HubError) -> PostgresCell {
        guard row.contains(name) else { throw HubError.noColumn(name) }
        return row[name]
    }
    func text(_ name: String) throws(HubError) -> String? {
        let cell = try cell(name)
        do { return try cell.decode(String?.self) } catch { throw HubError.storage(detail: "column \(name) is not text (\(error))") }
    }
    func int64(_ name: String) throws(HubError) -> Int64 {
        let cell = try cell(name)
        do { return try cell.decode(Int64?.self) ?? 0 } catch { throw HubError.storage(detail: "column \(name) is not an integer (\(error))") }
    }
    func blob(_ name: String) throws(HubError) -> [UInt8]? {
        let cell = try cell(name)
        do { return try cell.decode(ByteBuffer?.self).map { Array($0.readableBytesView) } } catch {
            throw HubError.storage(detail: "column \(name) is not bytes (\(error))")
        }
    }
}
