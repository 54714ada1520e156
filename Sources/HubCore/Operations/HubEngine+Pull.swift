import FieldModel
import Foundation
import SyncCore
import SyncProtocol

extension HubEngine {
    /// The states in the device's scope changed after the cursor, in change order (Protocol/README.md §7), and the ids
    /// compacted after it, from one snapshot; a pull never passes a change still being written. At the last page, with
    /// `checkpoint`, notes `after` as the device's checkpoint for the tombstone horizon (§7.2): it stored every change
    /// up to it (a lower checkpoint is always safe).
    /// - Parameter session: the device's sync session: the states it pushed in it, stored exactly as sent, count in
    ///   the page and the cursor passes them, but they are not sent back (§6.2).
    public func pull(after: UInt64, limit: Int, for device: Device, session syncSession: String?, checkpoint: Bool) async throws -> PullPage {
        let limit = min(max(limit, 1), WireLimits.maxPullLimit)
        let page = try await snapshot { session in
            var condition = "hub_seq > ?"
            var values: [HubValue] = [.counter(after)]
            if let bound = session.committedChangesBound { condition += " AND hub_seq < \(bound)" }
            let (place, placeValues) = device.scope.condition()
            condition += " AND " + place
            values += placeValues
            // The states this session pushed, stored exactly as sent, stay out (§6.2).
            var unsent = "", recordValues = values
            if let syncSession {
                unsent = " AND (sent_in IS NULL OR sent_in <> ?)"
                recordValues.append(.text(PushRequest.sentIn(device: device.id, session: syncSession)))
            }
            let rows = try await session.query("SELECT \(HubRow.columns) FROM records WHERE \(condition)\(unsent) ORDER BY hub_seq LIMIT ?",
                                               recordValues + [.integer(limit + 1)]).map { row in
                let stored = try HubRow.decode(row)
                return (state: stored.state, hubSeq: stored.hubSeq)
            }
            let forgotten = try await session.query("SELECT id, hub_seq FROM forgotten WHERE \(condition) ORDER BY hub_seq LIMIT ?",
                                                    values + [.integer(limit + 1)]).map {
                (id: try $0.text("id") ?? "", hubSeq: try $0.counter("hub_seq"))
            }
            let passedThrough = syncSession == nil ? nil : try await session.query(
                "SELECT max(hub_seq) AS passed FROM records WHERE \(condition)", values).first.flatMap { try $0.isNull("passed") ? nil : try $0.counter("passed") }
            let page = PullPage.Changes(records: rows, forgotten: forgotten, limit: limit, passedThrough: passedThrough)
            let losses = try await openLosses(of: device, in: page.records.map(\.id), in: session)
            return PullPage(records: page.records, cursor: page.cursor ?? after, more: page.more,
                            conflicts: losses.isEmpty ? nil : losses, forgotten: page.forgotten.isEmpty ? nil : page.forgotten)
        }
        guard checkpoint, !page.more else { return page }
        let now = clock.now()
        try await transaction { session in
            try await session.execute("UPDATE devices SET pulled_through = \(session.dialect.greatest("pulled_through", "?")), pulled_at = ? WHERE id = ?",
                                      [.counter(after), .text(ISODate.format(now)), .text(device.id)])
        }
        return page
    }

    /// The open entries about `records` in which a write of one of the device's replicas lost, so a device that pushed
    /// before the write that beat it hears of its loss at its next pull.
    func openLosses(of device: Device, in records: [String], in session: Session) async throws -> [Conflict] {
        guard device.role == .volunteer, !records.isEmpty else { return [] }
        let mine = Set(try await session.query("SELECT replica_id FROM replicas WHERE device = ?", [.text(device.id)])
            .compactMap { ReplicaID(try $0.text("replica_id") ?? "") })
        guard !mine.isEmpty else { return [] }
        var losses: [Conflict] = []
        for row in try await session.query("""
            SELECT id, body FROM conflicts WHERE resolution IS NULL AND \(session.dialect.isIn("record")) ORDER BY found_at, id
            """, [.texts(records)]) {
            let entry = try Self.conflict(id: try row.text("id") ?? "", body: try row.text("body") ?? "")
            if !entry.losses(of: mine).isEmpty { losses.append(entry) }
            if losses.count == WireLimits.maxPushConflicts { break }
        }
        return losses
    }

    /// Every compacted id (the simulator's oracle: a logged visit is at the hub or was compacted).
    public func forgottenIDs() async throws -> Set<String> {
        try await snapshot { session in Set(try await session.query("SELECT id FROM forgotten").map { try $0.text("id") ?? "" }) }
    }
}
