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
        let (page, last) = try await snapshot { session -> (PullPage, UInt64) in
            var condition = "hub_seq > ?"
            var values: [HubValue] = [.counter(after)]
            if let bound = session.committedChangesBound { condition += " AND hub_seq < \(bound)" }
            let (place, placeValues) = device.scope.condition()
            condition += " AND " + place
            values += placeValues
            // A volunteer whose team covers villages receives those villages, not its whole commune (§7.3).
            let villages = try await scopeVillages(of: device, in: session)
            var visitCondition = condition, kindCondition = condition, visitValues = values, kindValues = values
            if let villages {
                visitCondition += """
                     AND (household IN (SELECT id FROM kind_records WHERE kind = 'household' AND commune = ? AND \(session.dialect.isIn("village")))
                        OR (household IS NULL AND team = ?))
                    """
                visitValues += [.text(device.scope.commune), .texts(villages), .text(device.scope.team)]
                kindCondition += " AND (kind <> 'household' OR \(session.dialect.isIn("village")))"
                kindValues.append(.texts(villages))
            }
            // The states this session pushed, stored exactly as sent, stay out (§6.2).
            var unsent = "", sentIn: [HubValue] = []
            if let syncSession {
                unsent = " AND (sent_in IS NULL OR sent_in <> ?)"
                sentIn.append(.text(PushRequest.sentIn(device: device.id, session: syncSession)))
            }
            let visits = try await session.query("SELECT \(HubRow.columns) FROM records WHERE \(visitCondition)\(unsent) ORDER BY hub_seq LIMIT ?",
                                                 visitValues + sentIn + [.integer(limit + 1)]).map { row in
                let stored = try HubRow.decode(row)
                return (state: stored.state, hubSeq: stored.hubSeq)
            }
            // Records of other kinds share the change numbers: both lists in change order, as one (§12).
            let others = try await session.query("""
                SELECT \(KindRecord.columns) FROM kind_records WHERE \(kindCondition)\(unsent) ORDER BY hub_seq LIMIT ?
                """, kindValues + sentIn + [.integer(limit + 1)]).map { row in
                let stored = try KindRecord.decode(row)
                return (state: stored.state, hubSeq: stored.hubSeq)
            }
            let rows = others.isEmpty ? visits : (visits + others).sorted { $0.hubSeq < $1.hubSeq }
            let forgotten = try await session.query("SELECT id, hub_seq FROM forgotten WHERE \(condition) ORDER BY hub_seq LIMIT ?",
                                                    values + [.integer(limit + 1)]).map {
                (id: try $0.text("id") ?? "", hubSeq: try $0.counter("hub_seq"))
            }
            let passedThrough = syncSession == nil ? nil : try await session.query("""
                SELECT max(m) AS passed FROM (SELECT max(hub_seq) AS m FROM records WHERE \(visitCondition)
                    UNION ALL SELECT max(hub_seq) FROM kind_records WHERE \(kindCondition)) x
                """, visitValues + kindValues).first.flatMap { try $0.isNull("passed") ? nil : try $0.counter("passed") }
            let page = PullPage.Changes(records: rows, forgotten: forgotten, limit: limit, passedThrough: passedThrough)
            let losses = try await openLosses(of: device, in: page.records.map(\.id), in: session)
            return (PullPage(records: page.records, cursor: page.cursor ?? after, more: page.more,
                             conflicts: losses.isEmpty ? nil : losses, forgotten: page.forgotten.isEmpty ? nil : page.forgotten,
                             villages: villages),
                    after > 0 ? try await lastChange(in: session) : 0)
        }
        if after > last { try await noteRestored(lastChange: last) }
        guard checkpoint, !page.more else { return page }
        let now = clock.now()
        try await transaction { session in
            try await session.execute("UPDATE devices SET pulled_through = \(session.dialect.greatest("pulled_through", "?")), pulled_at = ? WHERE id = ?",
                                      [.counter(after), .text(ISODate.format(now)), .text(device.id)])
        }
        return page
    }

    /// The villages a volunteer device receives: those of its commune its team covers, by name; nil when its team
    /// covers none (it receives its whole commune), and for coordinators.
    func scopeVillages(of device: Device, in session: Session) async throws -> [String]? {
        guard device.role == .volunteer, let commune = device.scope.commune, let team = device.scope.team else { return nil }
        let names = try await session.query("SELECT name FROM villages WHERE commune = ? AND team = ? ORDER BY name_fold, name",
                                            [.text(commune), .text(team)]).map { try $0.text("name") ?? "" }
        return names.isEmpty ? nil : names
    }

    /// The last change number the store holds (of a committed transaction, in the caller's snapshot). It never goes
    /// down: a row's number only moves up, and a compacted visit leaves a row in `forgotten` under a new one.
    func lastChange(in session: Session) async throws -> UInt64 {
        try await session.query("""
            SELECT coalesce(max(m), 0) AS last FROM (SELECT max(hub_seq) AS m FROM records UNION ALL SELECT max(hub_seq) FROM forgotten
                UNION ALL SELECT max(hub_seq) FROM kind_records) x
            """).first?.counter("last") ?? 0
    }

    /// A device pulled with a cursor beyond every change the store holds: it pulled changes the store no longer has, so
    /// the store was restored from an older copy (a PostgreSQL backup; on SQLite the high-water file says so at open as
    /// well). The store takes a new incarnation, which every push answer carries: devices that see it change send
    /// everything again and pull from the start (Protocol/README.md §6). Not within `Hub.incarnationQuiet` of the last
    /// one: a device that pulls before its first push answer has told it of a new incarnation shows the same evidence,
    /// and a forged cursor cannot make every laptop send everything again and again.
    func noteRestored(lastChange: UInt64) async throws {
        let now = clock.now()
        try await transaction { session in
            guard try await self.lastChange(in: session) == lastChange else { return }
            let since = ISODate.format(now.addingTimeInterval(-Hub.incarnationQuiet))
            try await session.execute("""
                UPDATE hub SET incarnation = ?, incarnation_at = ? WHERE incarnation_at IS NULL OR incarnation_at < ?
                """, [.text(Hub.randomHex(bytes: 8)), .text(ISODate.format(now)), .text(since)])
        }
    }

    /// The store's incarnation, which push answers carry (empty before the first).
    public func incarnation() async throws -> String {
        try await quickRead { try await $0.query("SELECT incarnation FROM hub").first?.text("incarnation") ?? "" }
    }

    /// Takes a new incarnation: every laptop sends everything again at its next push (after restoring a backup).
    public func takeNewIncarnation() async throws -> String {
        let incarnation = Hub.randomHex(bytes: 8)
        let now = ISODate.format(clock.now())
        try await transaction { try await $0.execute("UPDATE hub SET incarnation = ?, incarnation_at = ?", [.text(incarnation), .text(now)]) }
        return incarnation
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

extension Hub {
    /// How long after the store took an incarnation a pull past every change it holds is taken for a device that has
    /// not heard of it yet, not for another restore (3 days: laptops sync most days).
    package static let incarnationQuiet: TimeInterval = 3 * 86_400
}
