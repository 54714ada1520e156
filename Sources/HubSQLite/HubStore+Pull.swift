import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// Every visit in a scope (deleted ones included), in change order, for `export`.
    public func visits(in scope: Scope = Scope()) throws -> [(visit: Visit, version: VersionVector)] {
        var visits: [(visit: Visit, version: VersionVector)] = []
        try forEachVisit(in: scope) { visits.append(($0, $1)) }
        return visits
    }

    /// Hands every visit in a scope (deleted ones included) to `body` in change order, one row at a
    /// time from one snapshot: constant memory however large the store.
    public func forEachVisit(in scope: Scope = Scope(), _ body: (Visit, VersionVector) throws -> Void) throws {
        var condition = "1"
        var values: [SQLValue] = []
        if let commune = scope.commune {
            condition = "commune = ?"
            values = [.text(commune)]
        } else if let province = scope.province {
            condition = "province = ?"
            values = [.text(province)]
        }
        try read {
            try db.prepare("SELECT \(HubRow.columns) FROM records WHERE \(condition) ORDER BY hub_seq").forEach(values) { row in
                let decoded = try HubRow.decode(row)
                try body(decoded.visit, decoded.state.version)
            }
        }
    }
}
