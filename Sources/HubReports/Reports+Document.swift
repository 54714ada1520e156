import FieldModel
import HubCore
import HubSQLite
import SyncCore

extension MergeReport {
    /// The merge report laid out for people (`filter` names the place it covers).
    public func document(filter: ReportFilter = ReportFilter()) -> ReportDocument {
        let t = totals
        return ReportDocument(
            title: "Merge report",
            subtitle: ReportRenderer.period(ReportFilter(since: since, until: until, province: filter.province, commune: filter.commune)),
            summary: [("Batches", "\(t.batches)"), ("Records received", "\(t.received)"), ("Already known", "\(t.alreadyKnown)"),
                      ("Fast-forward", "\(t.fastForward)"), ("Merged (different fields)", "\(t.merged)"),
                      ("Conflicts", "\(t.conflicts)"), ("Edit vs delete", "\(t.editVsDelete)"),
                      ("Resolved", "\(t.resolved) of \(t.conflicts + t.editVsDelete)"), ("Quarantined", "\(t.quarantined)"),
                      ("Refused pushes", "\(t.refusals)")],
            sections: [
                .init(title: "Devices", columns: [.init("Device"), .init("Volunteer"), .init("Team"), .init("Commune"),
                                                  .init("Batches", numeric: true), .init("Received", numeric: true),
                                                  .init("Known", numeric: true), .init("Fast-fwd", numeric: true),
                                                  .init("Merged", numeric: true), .init("Conflicts", numeric: true),
                                                  .init("Edit/del", numeric: true), .init("Quarantined", numeric: true),
                                                  .init("Refused", numeric: true)],
                      rows: devices.map { d in
                          [d.device, d.volunteer ?? "", d.team ?? "", d.commune ?? "", "\(d.totals.batches)", "\(d.totals.received)",
                           "\(d.totals.alreadyKnown)", "\(d.totals.fastForward)", "\(d.totals.merged)", "\(d.totals.conflicts)",
                           "\(d.totals.editVsDelete)", "\(d.totals.quarantined)",
                           "\(d.totals.refusals)"]
                      }),
                Self.conflictSection(conflicts),
                .init(title: "Quarantined records",
                      note: "Refused by validation; the payload is kept for correction (its start is shown)."
                          + (quarantinedNotListed > 0 ? " \(quarantinedNotListed) more are counted above but not listed." : ""),
                      columns: [.init("Visit"), .init("Device"), .init("Volunteer"), .init("Reason"), .init("Received"),
                                .init("Times", numeric: true), .init("Bytes", numeric: true), .init("Payload")],
                      rows: quarantined.map { [String($0.record.prefix(40)), $0.device, $0.volunteer ?? "", $0.reason, $0.receivedAt,
                                               "\($0.attempts)", "\($0.payloadSize)", $0.payload] },
                      flagged: Set(quarantined.indices), count: quarantined.count + quarantinedNotListed),
                .init(title: "Refused pushes", note: "Whole pushes refused: a restored laptop, a clock far ahead, a visit outside the scope."
                          + (refusalsNotListed > 0 ? " \(refusalsNotListed) more are counted above but not listed." : ""),
                      columns: [.init("When"), .init("Device"), .init("Kind"), .init("Detail")],
                      rows: refusals.map { [$0.at, $0.device ?? "", $0.kind, $0.detail] }, count: refusals.count + refusalsNotListed),
            ])
    }
}

extension MergeReport {
    /// Every field of every entry, both values, who wrote them, which was kept and how it was resolved.
    public static func conflictSection(_ conflicts: [ConflictLine], title: String = "Conflicts") -> ReportDocument.Section {
        var rows: [[String]] = []
        var open: Set<Int> = []
        for c in conflicts {
            let state = c.resolution.map { "\($0.choice) by \($0.by) \($0.at)" } ?? "open"
            for f in c.fields {
                let field = c.kind == Conflict.Kind.editVsDelete.rawValue ? "\(f.field) (edit vs delete)" : f.field
                if c.resolution == nil { open.insert(rows.count) }
                rows.append([String(c.id.prefix(12)), String(c.record.suffix(8)), c.citizen ?? "", c.commune ?? "", field,
                             text(f.stored?.value), who(f.stored), text(f.incoming?.value), who(f.incoming),
                             text((f.winner == .stored ? f.stored : f.incoming)?.value), c.foundAt, state])
            }
            if c.fields.isEmpty {
                rows.append([String(c.id.prefix(12)), String(c.record.suffix(8)), c.citizen ?? "", c.commune ?? "", "(same values)",
                             "", "", "", "", "", c.foundAt, state])
            }
        }
        return .init(title: title, note: "Both values of every field two laptops wrote without seeing each other's write (or an edit "
                         + "that met a deletion); the losing value stays here. Resolve with `fieldsync-server conflicts resolve ID`.",
                     columns: [.init("Id"), .init("Visit"), .init("Citizen"), .init("Commune"), .init("Field"), .init("Value 1"),
                               .init("Written by"), .init("Value 2"), .init("Written by"), .init("Kept"), .init("Found"),
                               .init("Resolution")],
                     rows: rows, flagged: open, count: conflicts.count)
    }

    /// One entry laid out for people: each field's two values, the kept one, the value now, the resolution.
    public static func document(of c: ConflictLine) -> ReportDocument {
        var summary: [(String, String)] = [("Kind", c.kind), ("Visit", c.record), ("Citizen", c.citizen ?? ""),
                                           ("Commune", c.commune ?? ""), ("Found", c.foundAt), ("Found by", c.detectedBy)]
        if let r = c.resolution {
            summary.append(("Resolved", "\(r.choice) by \(r.by) \(r.at)" + (r.hubSeq.map { " (hub change \($0))" } ?? "")))
        } else {
            summary.append(("Resolved", "open: resolve with --keep, --take or --set FIELD=VALUE"))
        }
        let rows = c.fields.map { f in
            [f.field, text(f.stored?.value), who(f.stored), text(f.incoming?.value), who(f.incoming),
             f.winner == .stored ? "value 1" : "value 2", text(c.current?[f.field])]
        }
        return ReportDocument(title: "Conflict \(c.id)", subtitle: c.citizen ?? c.record, summary: summary, sections: [
            .init(title: "Fields", columns: [.init("Field"), .init("Value 1"), .init("Written by"), .init("Value 2"), .init("Written by"),
                                             .init("Kept"), .init("Now")], rows: rows),
        ])
    }

    /// A register value as people read it (a CCCD by its masked form).
    /// A field value as people read it (a CCCD as its masked form).
    public static func text(_ value: FieldValue?) -> String {
        switch value {
        case nil, .null?: "—"
        case .bool(let b)?: b ? "true" : "false"
        case .int(let i)?: "\(i)"
        case .text(let s)?: s
        case .object(let o)?: o["masked"]?.text ?? o.keys.sorted().map { "\($0)=\(text(o[$0]))" }.joined(separator: " ")
        }
    }

    /// Who wrote a value and when.
    static func who(_ w: Written?) -> String { w.map { "\($0.volunteer ?? $0.device ?? "hub \($0.replica)") \($0.at)" } ?? "" }
}

extension ProgressReport {
    /// The progress report laid out for people.
    public func document() -> ReportDocument {
        func reasons(_ counts: Counts) -> String {
            counts.failedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\($0.key) \($0.value)" }.joined(separator: "; ")
        }
        // Most telling first, so a phone shows them without scrolling sideways.
        func cells(_ c: Counts) -> [String] {
            [c.percent.map { "\($0)%" } ?? "", "\(c.done)", c.left.map(String.init) ?? "", "\(c.pending)", "\(c.failed)",
             "\(c.citizens)", c.target.map(String.init) ?? "", reasons(c)]
        }
        let numbers: [ReportDocument.Column] = [.init("Reached", numeric: true), .init("Done", numeric: true), .init("Left", numeric: true),
                                                .init("Pending", numeric: true), .init("Failed", numeric: true),
                                                .init("Citizens", numeric: true), .init("Target", numeric: true), .init("Failed by reason")]
        var rows: [[String]] = [], flagged: Set<Int> = []
        var bars: [ReportDocument.Chart.Bar] = []
        for province in provinces {
            for commune in province.communes {
                if !commune.active { flagged.insert(rows.count) }
                rows.append([commune.name, commune.active ? "all services" : "no activity"] + cells(commune.totals)
                            + [commune.commune, province.province])
                for service in commune.services {
                    rows.append([commune.name, service.service] + cells(service.counts) + [commune.commune, province.province])
                }
                if withTargets {
                    if let percent = commune.totals.percent {
                        bars.append(.init(label: commune.name, value: min(percent, 100), parts: [], note: "\(percent)%"))
                    }
                } else {
                    bars.append(.init(label: commune.name, value: Double(commune.totals.visits),
                                      parts: [Double(commune.totals.done), Double(commune.totals.pending), Double(commune.totals.failed)],
                                      note: "\(commune.totals.visits)"))
                }
            }
        }
        if !withTargets { bars.sort { $0.value > $1.value } }
        let shown = Array(bars.prefix(25))
        let chart = ReportDocument.Chart(
            caption: withTargets ? "Target reached, worst first" : "Visits per commune",
            bars: shown, maximum: withTargets ? 100 : (shown.map(\.value).max() ?? 1),
            legend: withTargets ? [] : ["done", "pending", "failed"])
        let t = totals
        var summary: [(String, String)] = [("Done", "\(t.done)"), ("Pending", "\(t.pending)"), ("Failed", "\(t.failed)"),
                                           ("Citizens helped", "\(t.citizens)"), ("Communes with no activity", "\(inactiveCommunes)")]
        if let percent = t.percent { summary.append(("Target reached", "\(percent)% (\(t.left ?? 0) left)")) }
        var document = ReportDocument(
            title: "Progress", subtitle: ReportRenderer.period(filter) + (withTargets ? ", against targets (worst first)" : ""),
            summary: summary,
            sections: [
                .init(title: "Provinces", columns: [.init("Name")] + numbers + [.init("Province")],
                      rows: provinces.map { [$0.name] + cells($0.totals) + [$0.province] },
                      chart: nil),
                .init(title: "Communes and services",
                      note: "Each commune's total, then its services. Communes with no activity are listed, not hidden.",
                      columns: [.init("Name"), .init("Service")] + numbers + [.init("Commune"), .init("Province")],
                      rows: rows, flagged: flagged, chart: chart),
            ])
        document.mainSection = 1
        return document
    }
}

extension DevicesReport {
    /// The devices report laid out for people.
    public func document() -> ReportDocument {
        ReportDocument(
            title: "Devices", subtitle: ReportRenderer.period(filter) + ", stale after \(staleDays) days without a sync",
            summary: [("Devices", "\(devices.count)"), ("Stale", "\(staleCount)"),
                      ("Visits in the period", "\(devices.reduce(0) { $0 + $1.visits })"),
                      ("Unsynced backlog", "\(devices.reduce(0) { $0 + ($1.unsynced ?? 0) })")],
            sections: [
                .init(title: "Devices", note: "Stale devices first: a team that has gone quiet shows here.",
                      columns: [.init("Volunteer"), .init("State"), .init("Last sync"), .init("Visits", numeric: true),
                                .init("Unsynced", numeric: true), .init("Team"), .init("Commune"), .init("Name"), .init("Role"), .init("Device"),
                                .init("Version"), .init("Version since")],
                      rows: devices.map { d in
                          [d.volunteer ?? "", d.revoked ? "revoked" : d.stale ? "STALE" : "active", d.lastSync ?? "never", "\(d.visits)",
                           d.unsynced.map(String.init) ?? "", d.team ?? "", d.commune ?? "", d.communeName ?? "", d.role, d.device,
                           d.clientVersion ?? "not named", d.clientVersionAt ?? "not named"]
                      },
                      flagged: Set(devices.indices.filter { devices[$0].stale }),
                      chart: .init(caption: "Visits per device in the period",
                                   bars: devices.prefix(25).map { .init(label: $0.volunteer ?? $0.device, value: Double($0.visits), parts: [], note: "\($0.visits)") },
                                   maximum: Double(devices.map(\.visits).max() ?? 1), legend: [])),
            ])
    }
}

extension DuplicatesReport {
    /// The duplicates report laid out for people.
    public func document() -> ReportDocument {
        var rows: [[String]] = []
        for group in groups {
            for visit in group.visits {
                rows.append([visit.citizen, visit.name, group.hash, group.service, visit.id, visit.commune, visit.outcome,
                             visit.visitedAt, visit.volunteer, visit.team])
            }
        }
        return ReportDocument(
            title: "Probable duplicates", subtitle: ReportRenderer.period(filter),
            summary: [("Citizens helped twice or more for one service", "\(groups.count)"),
                      ("Visits involved", "\(groups.reduce(0) { $0 + $1.visits.count })")],
            sections: [
                .init(title: "Duplicates",
                      note: "Resolve one with: fieldsync-server duplicates resolve VISIT --keep OTHER_VISIT",
                      columns: [.init("CCCD"), .init("Citizen"), .init("Hash"), .init("Service"), .init("Visit"), .init("Commune"),
                                .init("Outcome"), .init("When"), .init("Volunteer"), .init("Team")],
                      rows: rows),
            ])
    }
}
