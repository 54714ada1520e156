import ArgumentParser
import FieldModel
import Foundation
import HubStore
import SyncCore
import SyncProtocol

/// `fieldsync-server report NAME`: the coordinators' reports.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Coordinator reports: merge.",
        discussion: """
            merge: what every device's pushes did; every conflict with both values, who wrote them and the \
            winner; every quarantined record with its reason and payload; every refused push.

            Example:
              fieldsync-server --db hub.sqlite report merge --format table --since 2025-11-01
            """)

    @OptionGroup var global: HubOptions
    @Argument(help: "The report: merge.") var name: String
    @Option(help: "table or json.") var format = "table"
    @Option(help: "From this date (ISO 8601).") var since: String?
    @Option(help: "Before this date (ISO 8601).") var until: String?

    func run() throws {
        guard name == "merge" else { throw ServerInputError("unknown report «\(name)»: use merge") }
        guard format == "table" || format == "json" else { throw ServerInputError("unknown format «\(format)»: use table or json") }
        let store = try HubStore(path: global.path, readOnly: true)
        let report = try store.mergeReport(since: try since.map { try ISODate.format(ISODate.parse($0)) },
                                           until: try until.map { try ISODate.format(ISODate.parse($0)) })
        if format == "json" {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(MergeReportText.render(report), terminator: "")
        }
    }
}

/// The merge report for a terminal.
enum MergeReportText {
    static func render(_ r: MergeReport) -> String {
        let t = r.totals
        var out = "MERGE REPORT \(r.since ?? "(start)") – \(r.until ?? "now")\n"
        out += "batches \(t.batches), records received \(t.received): already known \(t.alreadyKnown), "
            + "fast-forward \(t.fastForward), conflicts \(t.conflicts), quarantined \(t.quarantined), refused pushes \(t.refusals)\n\n"
        out += Table.render(["DEVICE", "VOLUNTEER", "TEAM", "COMMUNE", "BATCHES", "RECEIVED", "KNOWN", "FAST-FWD", "CONFLICTS", "QUARANTINED", "REFUSED"],
                            r.devices.map { d in
            [d.device, d.volunteer ?? "", d.team ?? "", d.commune ?? "", "\(d.totals.batches)", "\(d.totals.received)",
             "\(d.totals.alreadyKnown)", "\(d.totals.fastForward)", "\(d.totals.conflicts)", "\(d.totals.quarantined)",
             "\(d.totals.refusals)"]
        })
        out += "\nCONFLICTS (\(r.conflicts.count))\n"
        for c in r.conflicts {
            out += "- visit \(c.record) \(c.citizen ?? "") (commune \(c.commune ?? "?")), found \(c.foundAt)\n"
            for f in c.fields {
                let kept = (f.winner == .stored ? f.stored : f.incoming).map { "«\(text($0.value))»" } ?? "(none)"
                out += "    \(f.field): \(describe(f.stored)) vs \(describe(f.incoming)) → kept \(kept)\n"
            }
            if c.fields.isEmpty { out += "    (concurrent writes of the same values)\n" }
        }
        out += "\nQUARANTINED (\(r.quarantined.count))\n"
        for q in r.quarantined {
            out += "- visit \(q.record) from \(q.device) \(q.volunteer ?? "") at \(q.receivedAt): \(q.reason)\n    payload \(q.payload.prefix(200))\n"
        }
        out += "\nREFUSED PUSHES (\(r.refusals.count))\n"
        for f in r.refusals { out += "- \(f.at) \(f.device ?? "?") \(f.kind): \(f.detail)\n" }
        return out
    }

    static func describe(_ w: MergeReport.Written?) -> String {
        guard let w else { return "(none)" }
        let who = w.volunteer ?? w.device ?? w.replica
        return "«\(text(w.value))» by \(who) at \(w.at)"
    }

    static func text(_ value: FieldValue) -> String {
        switch value {
        case .null: "—"
        case .bool(let b): b ? "true" : "false"
        case .int(let i): "\(i)"
        case .text(let s): s
        case .object(let o): o.keys.sorted().map { "\($0)=\(text(o[$0] ?? .null))" }.joined(separator: " ")
        }
    }
}
