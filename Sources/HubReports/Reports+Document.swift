import FieldModel
import HubCore
import HubSQLite
import Localization
import SyncCore

extension MergeReport {
    /// The merge report laid out for people or programs (`filter` names the place it covers). People see one
    /// line per device (syncs, records, conflicts, refusals); programs every count.
    public func document(_ style: ReportStyle, filter: ReportFilter = ReportFilter()) -> ReportDocument {
        let t = totals, s = style
        let devicesSection: ReportDocument.Section
        if s.forPeople {
            devicesSection = .init(
                title: s.label("merge.devices", "Devices"),
                columns: [s.column("col.volunteer", ""), s.column("col.team", ""), s.column("col.commune", ""),
                          s.column("merge.col.syncs", "", numeric: true), s.column("merge.col.received", "", numeric: true),
                          s.column("merge.col.conflicts", "", numeric: true), s.column("merge.col.refused", "", numeric: true)],
                rows: devices.map { d in
                    [d.volunteer ?? s.catalogue["unnamed_device"], d.team ?? "", s.commune(d.commune), s.count(d.totals.batches),
                     s.count(d.totals.received), s.count(d.totals.conflicts + d.totals.editVsDelete),
                     s.count(d.totals.quarantined + d.totals.refusals)]
                },
                flagged: Set(devices.indices.filter { devices[$0].totals.quarantined + devices[$0].totals.refusals > 0 }))
        } else {
            devicesSection = .init(
                title: "Devices",
                columns: [.init("Device"), .init("Volunteer"), .init("Team"), .init("Commune"), .init("Batches", numeric: true),
                          .init("Received", numeric: true), .init("Known", numeric: true), .init("Fast-fwd", numeric: true),
                          .init("Merged", numeric: true), .init("Conflicts", numeric: true), .init("Edit/del", numeric: true),
                          .init("Quarantined", numeric: true), .init("Refused", numeric: true)],
                rows: devices.map { d in
                    [d.device, d.volunteer ?? "", d.team ?? "", d.commune ?? "", "\(d.totals.batches)", "\(d.totals.received)",
                     "\(d.totals.alreadyKnown)", "\(d.totals.fastForward)", "\(d.totals.merged)", "\(d.totals.conflicts)",
                     "\(d.totals.editVsDelete)", "\(d.totals.quarantined)", "\(d.totals.refusals)"]
                })
        }
        let notListedQuarantined = quarantinedNotListed > 0 ? " " + s.catalogue.format("more_not_listed", s.count(quarantinedNotListed)) : ""
        let notListedRefusals = refusalsNotListed > 0 ? " " + s.catalogue.format("more_not_listed", s.count(refusalsNotListed)) : ""
        let quarantinedSection: ReportDocument.Section = s.forPeople
            ? .init(title: s.catalogue["merge.quarantined"], note: s.catalogue["merge.quarantined_note"] + notListedQuarantined,
                    columns: [s.column("col.visit", ""), s.column("col.volunteer", ""), s.column("col.reason", ""),
                              s.column("col.received_at", ""), s.column("merge.col.times", "", numeric: true)],
                    rows: quarantined.map { [String($0.record.suffix(8)), $0.volunteer ?? s.catalogue["unnamed_device"], $0.reason,
                                             s.time($0.receivedAt), s.count($0.attempts)] },
                    flagged: Set(quarantined.indices), count: quarantined.count + quarantinedNotListed)
            : .init(title: "Quarantined records",
                    note: "Refused by validation; the payload is kept for correction (its start is shown)."
                        + (quarantinedNotListed > 0 ? " \(quarantinedNotListed) more are counted above but not listed." : ""),
                    columns: [.init("Visit"), .init("Device"), .init("Volunteer"), .init("Reason"), .init("Received"),
                              .init("Times", numeric: true), .init("Bytes", numeric: true), .init("Payload")],
                    rows: quarantined.map { [String($0.record.prefix(40)), $0.device, $0.volunteer ?? "", $0.reason, $0.receivedAt,
                                             "\($0.attempts)", "\($0.payloadSize)", $0.payload] },
                    flagged: Set(quarantined.indices), count: quarantined.count + quarantinedNotListed)
        let refusalsSection: ReportDocument.Section = s.forPeople
            ? .init(title: s.catalogue["merge.refusals"], note: s.catalogue["merge.refusals_note"] + notListedRefusals,
                    columns: [s.column("col.when", ""), s.column("col.volunteer", ""), s.column("col.what", "")],
                    rows: refusals.map { r in
                        [s.time(r.at), r.volunteer ?? s.catalogue["unnamed_device"], s.catalogue.label("refusal.", r.kind)]
                    }, count: refusals.count + refusalsNotListed)
            : .init(title: "Refused pushes", note: "Whole pushes refused: a restored laptop, a clock far ahead, a visit outside the scope."
                        + (refusalsNotListed > 0 ? " \(refusalsNotListed) more are counted above but not listed." : ""),
                    columns: [.init("When"), .init("Device"), .init("Kind"), .init("Detail")],
                    rows: refusals.map { [$0.at, $0.device ?? "", $0.kind, $0.detail] }, count: refusals.count + refusalsNotListed)
        let entries = t.conflicts + t.editVsDelete
        let resolved = s.forPeople ? s.catalogue.format("n_of_m", s.count(t.resolved), s.count(entries)) : "\(t.resolved) of \(entries)"
        var summary: [(String, String)] = []
        summary.append((s.label("merge.syncs", "Batches"), s.count(t.batches)))
        summary.append((s.label("merge.received", "Records received"), s.count(t.received)))
        summary.append((s.label("merge.known", "Already known"), s.count(t.alreadyKnown)))
        summary.append((s.label("merge.fast_forward", "Fast-forward"), s.count(t.fastForward)))
        summary.append((s.label("merge.merged", "Merged (different fields)"), s.count(t.merged)))
        summary.append((s.label("merge.conflicts", "Conflicts"), s.count(t.conflicts)))
        summary.append((s.label("merge.edit_vs_delete", "Edit vs delete"), s.count(t.editVsDelete)))
        summary.append((s.label("merge.resolved", "Resolved"), resolved))
        summary.append((s.label("merge.quarantined_count", "Quarantined"), s.count(t.quarantined)))
        summary.append((s.label("merge.refusals", "Refused pushes"), s.count(t.refusals)))
        let period = ReportRenderer.period(ReportFilter(since: since, until: until, province: filter.province, commune: filter.commune), s)
        return ReportDocument(
            title: s.label("merge.title", "Merge report"), subtitle: period, summary: summary,
            sections: [devicesSection, Self.conflictSection(conflicts, s), quarantinedSection, refusalsSection])
    }
}

extension MergeReport {
    /// Every field of every entry, both values, who wrote them, which was kept and how it was resolved.
    public static func conflictSection(_ conflicts: [ConflictLine], _ s: ReportStyle) -> ReportDocument.Section {
        var rows: [[String]] = []
        var open: Set<Int> = []
        for c in conflicts {
            let state = s.forPeople ? resolutionText(c.resolution, s.catalogue)
                : c.resolution.map { "\($0.choice) by \($0.by) \($0.at)" } ?? "open"
            for f in c.fields {
                if c.resolution == nil { open.insert(rows.count) }
                if s.forPeople {
                    rows.append([c.citizen ?? String(c.record.suffix(8)), s.commune(c.commune), s.catalogue.field(f.field),
                                 s.catalogue.value(f.stored?.value, of: f.field), who(f.stored, s),
                                 s.catalogue.value(f.incoming?.value, of: f.field), who(f.incoming, s),
                                 s.catalogue.value(c.kept(f), of: f.field),
                                 s.time(c.foundAt), state])
                } else {
                    let field = c.kind == Conflict.Kind.editVsDelete.rawValue ? "\(f.field) (edit vs delete)" : f.field
                    rows.append([String(c.id.prefix(12)), String(c.record.suffix(8)), c.citizen ?? "", c.commune ?? "", field,
                                 text(f.stored?.value), who(f.stored, s), text(f.incoming?.value), who(f.incoming, s),
                                 text((f.winner == .stored ? f.stored : f.incoming)?.value), c.foundAt, state])
                }
            }
            if c.fields.isEmpty {
                rows.append(s.forPeople
                    ? [c.citizen ?? String(c.record.suffix(8)), s.commune(c.commune), s.catalogue["same_values"], "", "", "", "", "", s.time(c.foundAt), state]
                    : [String(c.id.prefix(12)), String(c.record.suffix(8)), c.citizen ?? "", c.commune ?? "", "(same values)",
                       "", "", "", "", "", c.foundAt, state])
            }
        }
        if s.forPeople {
            return .init(title: s.catalogue["merge.conflicts"], note: s.catalogue["merge.conflicts_note"],
                         columns: [s.column("col.citizen", ""), s.column("col.commune", ""), s.column("col.field", ""),
                                   s.column("col.value1", ""), s.column("col.written_by", ""), s.column("col.value2", ""),
                                   s.column("col.written_by", ""), s.column("col.kept", ""), s.column("col.found", ""),
                                   s.column("col.resolution", "")],
                         rows: rows, flagged: open, count: conflicts.count)
        }
        return .init(title: "Conflicts", note: "Both values of every field two laptops wrote without seeing each other's write (or an edit "
                         + "that met a deletion); the losing value stays here. Resolve with `fieldsync-server conflicts resolve ID`.",
                     columns: [.init("Id"), .init("Visit"), .init("Citizen"), .init("Commune"), .init("Field"), .init("Value 1"),
                               .init("Written by"), .init("Value 2"), .init("Written by"), .init("Kept"), .init("Found"),
                               .init("Resolution")],
                     rows: rows, flagged: open, count: conflicts.count)
    }

    /// "Chưa xử lý" or "Lấy giá trị còn lại — Phạm Văn Hải, 07/12/2026 09:00".
    public static func resolutionText(_ resolution: ConflictResolution?, _ t: Catalogue) -> String {
        guard let r = resolution else { return t["conflict_open"] }
        return t.format("resolved_by_at", t.label("choice.", r.choice), r.by, t.time(r.at))
    }

    /// One entry laid out for people: each field's two values, the kept one, the value now, the resolution.
    public static func document(of c: ConflictLine, _ t: Catalogue) -> ReportDocument {
        var summary: [(String, String)] = [(t["col.kind"], t.conflictKind(c.kind)), (t["col.visit"], String(c.record.suffix(8))),
                                           (t["col.citizen"], c.citizen ?? "—"),
                                           (t["col.commune"], c.commune.map { CommuneCatalogue.shared.commune($0)?.name ?? $0 } ?? "—"),
                                           (t["col.found"], t.time(c.foundAt)), (t["col.found_by"], c.detectedByName ?? t["hub_writer"])]
        if let r = c.resolution {
            summary.append((t["col.resolution"], resolutionText(r, t)))
        } else {
            summary.append((t["col.resolution"], t["conflict_open_cli"]))
        }
        let s = ReportStyle(catalogue: t, forPeople: true)
        let rows = c.fields.map { f in
            [t.field(f.field), t.value(f.stored?.value, of: f.field), who(f.stored, s), t.value(f.incoming?.value, of: f.field),
             who(f.incoming, s), f.winner == .stored ? t["col.value1"] : t["col.value2"], t.value(c.current?[f.field], of: f.field)]
        }
        return ReportDocument(title: t.format("conflict_title", String(c.id.prefix(12))), subtitle: c.citizen ?? String(c.record.suffix(8)),
                              summary: summary, sections: [
            .init(title: t["col.fields"], columns: [.init(t["col.field"]), .init(t["col.value1"]), .init(t["col.written_by"]),
                                                    .init(t["col.value2"]), .init(t["col.written_by"]), .init(t["col.kept"]),
                                                    .init(t["col.now"])], rows: rows),
        ])
    }

    /// A field value as programs read it (a CCCD as its masked form).
    public static func text(_ value: FieldValue?) -> String {
        switch value {
        case nil, .null?: "—"
        case .bool(let b)?: b ? "true" : "false"
        case .int(let i)?: "\(i)"
        case .text(let s)?: s
        case .object(let o)?: o["masked"]?.text ?? o.keys.sorted().map { "\($0)=\(text(o[$0]))" }.joined(separator: " ")
        }
    }

    /// Who wrote a value and when: the volunteer's name (the hub's own write as the hub), never a replica id for people.
    static func who(_ w: Written?, _ s: ReportStyle) -> String {
        guard let w else { return "" }
        if s.forPeople { return "\(w.volunteer ?? s.catalogue["hub_writer"]), \(s.time(w.at))" }
        return "\(w.volunteer ?? w.device ?? "hub \(w.replica)") \(w.at)"
    }
}

extension ProgressReport {
    /// The progress report laid out for people or programs.
    public func document(_ s: ReportStyle) -> ReportDocument {
        func reasons(_ counts: Counts) -> String {
            counts.failedByReason.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.map { "\(s.reason($0.key)) \(s.count($0.value))" }
                .joined(separator: "; ")
        }
        func percent(_ value: Double?) -> String {
            guard let value else { return "" }
            return s.forPeople ? s.catalogue.percent(value) : "\(value)%"
        }
        // Most telling first, so a phone shows them without scrolling sideways.
        func cells(_ c: Counts) -> [String] {
            [percent(c.percent), s.count(c.done), c.left.map(s.count) ?? "", s.count(c.pending), s.count(c.failed),
             s.count(c.citizens), c.target.map(s.count) ?? "", reasons(c)]
        }
        let numbers: [ReportDocument.Column] = [s.column("progress.reached", "Reached", numeric: true), s.column("progress.done", "Done", numeric: true),
                                                s.column("progress.left", "Left", numeric: true), s.column("progress.pending", "Pending", numeric: true),
                                                s.column("progress.failed", "Failed", numeric: true), s.column("progress.citizens", "Citizens", numeric: true),
                                                s.column("progress.target", "Target", numeric: true), s.column("progress.by_reason", "Failed by reason")]
        var rows: [[String]] = [], flagged: Set<Int> = []
        var bars: [ReportDocument.Chart.Bar] = []
        for province in provinces {
            for commune in province.communes {
                if !commune.active { flagged.insert(rows.count) }
                rows.append([commune.name, commune.active ? s.label("progress.all_services", "all services") : s.label("progress.no_activity", "no activity")]
                            + cells(commune.totals) + [commune.commune, province.province])
                for service in commune.services {
                    rows.append([commune.name, s.service(service.service)] + cells(service.counts) + [commune.commune, province.province])
                }
                if withTargets {
                    if let p = commune.totals.percent {
                        bars.append(.init(label: commune.name, value: min(p, 100), parts: [], note: percent(p)))
                    }
                } else {
                    bars.append(.init(label: commune.name, value: Double(commune.totals.visits),
                                      parts: [Double(commune.totals.done), Double(commune.totals.pending), Double(commune.totals.failed)],
                                      note: s.count(commune.totals.visits)))
                }
            }
        }
        if !withTargets { bars.sort { $0.value > $1.value } }
        let shown = Array(bars.prefix(25))
        let chart = ReportDocument.Chart(
            caption: withTargets ? s.label("progress.chart_targets", "Target reached, worst first") : s.label("progress.chart_visits", "Visits per commune"),
            bars: shown, maximum: withTargets ? 100 : (shown.map(\.value).max() ?? 1),
            legend: withTargets ? [] : [s.outcome("done"), s.outcome("pending"), s.outcome("failed")])
        let t = totals
        var summary: [(String, String)] = [(s.label("progress.done", "Done"), s.count(t.done)), (s.label("progress.pending", "Pending"), s.count(t.pending)),
                                           (s.label("progress.failed", "Failed"), s.count(t.failed)),
                                           (s.label("progress.citizens_helped", "Citizens helped"), s.count(t.citizens)),
                                           (s.label("progress.quiet", "Communes with no activity"), s.count(inactiveCommunes))]
        if let review {
            summary.append((s.label("progress.review", "Awaiting review (not reviewed, returned)"),
                            s.forPeople ? "\(s.count(review.awaiting)) (\(s.count(review.unreviewed)), \(s.count(review.returned)))"
                                        : "\(review.awaiting) (\(review.unreviewed), \(review.returned))"))
            summary.append((s.label("progress.rejected", "Not counted (rejected)"), s.count(review.rejected)))
        }
        if let p = t.percent {
            summary.append((s.label("progress.target_reached", "Target reached"),
                            s.forPeople ? s.catalogue.format("percent_left", percent(p), s.count(t.left ?? 0)) : "\(p)% (\(t.left ?? 0) left)"))
        }
        var document = ReportDocument(
            title: s.label("progress.title", "Progress"),
            subtitle: ReportRenderer.period(filter, s) + (withTargets ? s.label("progress.against_targets", ", against targets (worst first)") : ""),
            summary: summary,
            sections: [
                .init(title: s.label("progress.provinces", "Provinces"), columns: [s.column("col.name", "Name")] + numbers + [s.column("col.province", "Province")],
                      rows: provinces.map { [$0.name] + cells($0.totals) + [$0.province] },
                      chart: nil),
                .init(title: s.label("progress.communes", "Communes and services"),
                      note: s.label("progress.communes_note", "Each commune's total, then its services. Communes with no activity are listed, not hidden."),
                      columns: [s.column("col.name", "Name"), s.column("col.service", "Service")] + numbers
                          + [s.column("col.commune_code", "Commune"), s.column("col.province", "Province")],
                      rows: rows, flagged: flagged, chart: chart),
            ])
        document.mainSection = 1
        return document
    }
}

extension DevicesReport {
    /// The devices report laid out for people or programs.
    public func document(_ s: ReportStyle) -> ReportDocument {
        let programs: [ReportDocument.Column] = [.init("Volunteer"), .init("State"), .init("Last sync"), .init("Visits", numeric: true),
                                                 .init("Unsynced", numeric: true), .init("Team"), .init("Commune"), .init("Name"), .init("Role"),
                                                 .init("Device"), .init("Version"), .init("Version since")]
        let people: [ReportDocument.Column] = [s.column("col.volunteer", ""), s.column("devices.state", ""), s.column("devices.last_sync", ""),
                                               s.column("devices.visits", "", numeric: true), s.column("devices.unsynced", "", numeric: true),
                                               s.column("col.team", ""), s.column("col.commune", ""), s.column("col.role", ""),
                                               s.column("devices.version", "")]
        return ReportDocument(
            title: s.label("devices.title", "Devices"),
            subtitle: ReportRenderer.period(filter, s)
                + (s.forPeople ? s.catalogue.format("devices.stale_after", s.count(staleDays)) : ", stale after \(staleDays) days without a sync"),
            summary: [(s.label("devices.title", "Devices"), s.count(devices.count)), (s.label("devices.stale", "Stale"), s.count(staleCount)),
                      (s.label("devices.visits_in_period", "Visits in the period"), s.count(devices.reduce(0) { $0 + $1.visits })),
                      (s.label("devices.backlog", "Unsynced backlog"), s.count(devices.reduce(0) { $0 + ($1.unsynced ?? 0) }))],
            sections: [
                .init(title: s.label("devices.title", "Devices"), note: s.label("devices.note", "Stale devices first: a team that has gone quiet shows here."),
                      columns: s.forPeople ? people : programs,
                      rows: devices.map { d in
                          if s.forPeople {
                              let state = d.revoked ? s.catalogue["devices.revoked"] : d.stale ? s.catalogue["devices.stale_state"] : s.catalogue["devices.active"]
                              return [d.volunteer ?? s.catalogue["unnamed_device"], state, d.lastSync.map(s.time) ?? s.catalogue["never"],
                                      s.count(d.visits), d.unsynced.map(s.count) ?? "", d.team ?? "", d.communeName ?? d.commune ?? "",
                                      s.catalogue.role(d.role),
                                      d.clientVersion.map { v in d.clientVersionAt.map { s.catalogue.format("version_since", v, s.time($0)) } ?? v }
                                          ?? s.catalogue["devices.version_unknown"]]
                          }
                          return [d.volunteer ?? "", d.revoked ? "revoked" : d.stale ? "STALE" : "active", d.lastSync ?? "never", "\(d.visits)",
                                  d.unsynced.map(String.init) ?? "", d.team ?? "", d.commune ?? "", d.communeName ?? "", d.role, d.device,
                                  d.clientVersion ?? "not named", d.clientVersionAt ?? "not named"]
                      },
                      flagged: Set(devices.indices.filter { devices[$0].stale }),
                      chart: .init(caption: s.label("devices.chart", "Visits per device in the period"),
                                   bars: devices.prefix(25).map {
                                       .init(label: $0.volunteer ?? (s.forPeople ? s.catalogue["unnamed_device"] : $0.device), value: Double($0.visits),
                                             parts: [], note: s.count($0.visits))
                                   },
                                   maximum: Double(devices.map(\.visits).max() ?? 1), legend: [])),
            ])
    }
}

extension DuplicatesReport {
    /// The duplicates report laid out for people or programs (people see no hashes).
    public func document(_ s: ReportStyle) -> ReportDocument {
        var rows: [[String]] = []
        for group in groups {
            for visit in group.visits {
                rows.append(s.forPeople
                    ? [visit.citizen, visit.name, s.service(group.service), String(visit.id.suffix(8)), s.commune(visit.commune),
                       s.outcome(visit.outcome), s.time(visit.visitedAt), visit.volunteer, visit.team]
                    : [visit.citizen, visit.name, group.hash, group.service, visit.id, visit.commune, visit.outcome,
                       visit.visitedAt, visit.volunteer, visit.team])
            }
        }
        let columns: [ReportDocument.Column] = s.forPeople
            ? [s.column("col.cccd", ""), s.column("col.citizen", ""), s.column("col.service", ""), s.column("col.visit", ""),
               s.column("col.commune", ""), s.column("col.outcome", ""), s.column("col.when", ""), s.column("col.volunteer", ""),
               s.column("col.team", "")]
            : [.init("CCCD"), .init("Citizen"), .init("Hash"), .init("Service"), .init("Visit"), .init("Commune"),
               .init("Outcome"), .init("When"), .init("Volunteer"), .init("Team")]
        return ReportDocument(
            title: s.label("duplicates.title", "Probable duplicates"), subtitle: ReportRenderer.period(filter, s),
            summary: [(s.label("duplicates.groups", "Citizens helped twice or more for one service"), s.count(groups.count)),
                      (s.label("duplicates.visits", "Visits involved"), s.count(groups.reduce(0) { $0 + $1.visits.count }))],
            sections: [
                .init(title: s.label("duplicates.section", "Duplicates"),
                      note: s.label("duplicates.note", "Resolve one with: fieldsync-server duplicates resolve VISIT --keep OTHER_VISIT"),
                      columns: columns, rows: rows),
            ])
    }
}
