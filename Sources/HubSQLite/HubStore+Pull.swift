import HubCore
import FieldModel
import Foundation
import SQLiteKit
import SyncCore
import SyncProtocol

extension HubStore {
    /// The states in the device's scope changed after `after`, in change order (Protocol/README.md §7).
    /// - Parameter session: the device's sync session: the states it pushed in it, stored exactly as sent,
    ///   count in the page and the cursor passes them, but they are not sent back (§6.2).
    public func pull(after: UInt64, limit: Int = WireLimits.defaultPullLimit, for device: Device, session: String? = nil) throws -> PullPage {
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
        // The states this session pushed, stored exactly as sent, stay out (§6.2).
        var unsent = "", recordValues = values
        if let session {
            recordValues.append(.text(PushRequest.sentIn(device: device.id, session: session)))
            unsent = " AND sent_in IS NOT ?\(recordValues.count)"
        }
        return try read {
            let rows = try db.query("SELECT \(HubRow.columns) FROM records WHERE \(condition)\(unsent) ORDER BY hub_seq LIMIT ?2",
                                    recordValues) {
                let decoded = try HubRow.decode($0)
                return (state: decoded.state, hubSeq: decoded.hubSeq)
            }
            let forgotten = try db.query("SELECT id, hub_seq FROM forgotten WHERE \(condition) ORDER BY hub_seq LIMIT ?2", values) {
                (id: $0.text(0) ?? "", hubSeq: UInt64(clamping: $0.int64(1)))
            }
            let passedThrough = session == nil ? nil
                : try db.scalarInt("SELECT max(hub_seq) FROM records WHERE \(condition) LIMIT ?2", values).map { UInt64(clamping: $0) }
            let page = PullPage.Changes(records: rows, forgotten: forgotten, limit: limit, passedThrough: passedThrough)
            let losses = try openLosses(of: device, in: page.records.map(\.id))
            return PullPage(records: page.records, cursor: page.cursor ?? after, more: page.more,
                            conflicts: losses.isEmpty ? nil : losses, forgotten: page.forgotten.isEmpty ? nil : page.forgotten)
        }
    }

    /// The open entries about `records` in which a write of one of the device's replicas lost, so a
    /// device that pushed before the write that beat it hears of its loss at its next pull.
    func openLosses(of device: Device, in records: [String]) throws -> [Conflict] {
        guard device.role == .volunteer else { return [] }
        let mine = Set(try db.cached("SELECT replica_id FROM replicas WHERE device = ?")
            .query([.text(device.id)]) { ReplicaID($0.text(0) ?? "") }.compactMap { $0 })
        guard !mine.isEmpty else { return [] }
        var losses: [Conflict] = []
        let open = try db.cached("""
            SELECT id FROM conflicts WHERE resolution IS NULL AND record IN (SELECT value FROM json_each(?)) ORDER BY found_at, id
            """).query([.text(Hub.jsonArray(records))]) { $0.text(0) ?? "" }
        for id in open {
            let entry = try storedConflict(id)
            if !entry.losses(of: mine).isEmpty { losses.append(entry) }
            if losses.count == WireLimits.maxPushConflicts { break }
        }
        return losses
    }

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
