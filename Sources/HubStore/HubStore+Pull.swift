import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// The states in the device's scope changed after `after`, in change order (Protocol/README.md §7).
    public func pull(after: UInt64, limit: Int = WireLimits.defaultPullLimit, for device: Device) throws -> PullPage {
        let limit = min(max(limit, 1), WireLimits.maxPullLimit)
        var condition = "hub_seq > ?1"
        var values: [SQLValue] = [.integer(Int64(clamping: after)), .integer(Int64(limit + 1))]
        if let commune = device.scope.commune {
            condition += " AND commune = ?3"
            values.append(.text(commune))
        } else if let province = device.scope.province {
            condition += " AND province = ?3"
            values.append(.text(province))
        }
        let rows = try read {
            try db.query("SELECT \(HubRow.columns) FROM records WHERE \(condition) ORDER BY hub_seq LIMIT ?2", values,
                         row: HubRow.decode)
        }
        let page = rows.prefix(limit)
        return PullPage(records: page.map(\.state), cursor: page.last?.hubSeq ?? after, more: rows.count > limit)
    }

    /// Every visit in a scope (deleted ones included), in change order, for `export`.
    public func visits(in scope: Scope = Scope()) throws -> [(visit: Visit, version: VersionVector)] {
        var condition = "1"
        var values: [SQLValue] = []
        if let commune = scope.commune {
            condition = "commune = ?"
            values = [.text(commune)]
        } else if let province = scope.province {
            condition = "province = ?"
            values = [.text(province)]
        }
        return try read {
            try db.query("SELECT \(HubRow.columns) FROM records WHERE \(condition) ORDER BY hub_seq", values) { row in
                let decoded = try HubRow.decode(row)
                return (decoded.visit, decoded.state.version)
            }
        }
    }
}
