import ArgumentParser
import FieldModel
import Foundation
import HubReports
import HubCore
import HubSQLite
import SyncCore
import SyncProtocol
import TextSafety

/// `fieldsync-server subject find|export`: everything the hub holds about one citizen (Law 91/2025/QH15:
/// a citizen's right to see what was recorded).
struct SubjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Find, or export, everything the hub holds about one citizen.",
        subcommands: [Find.self, Export.self, Erase.self])

    /// How a citizen is named: their CCCD (through its pseudonym, computed with the hub's key file), a
    /// visit of theirs, or their name in a commune.
    struct Selector: ParsableArguments {
        @Option(help: "The citizen's 12-digit ID (matched through its pseudonym; needs the hub's key file).") var cccd: String?
        @Option(help: "A visit id of theirs (the visits with the same pseudonym come along).") var visit: String?
        @Option(help: "Their name, any case and diacritics (with --commune).") var name: String?
        @Option(help: "The commune (5 digits) to search the name in.") var commune: String?

        func validate() throws {
            guard [cccd, visit, name].compactMap({ $0 }).count == 1 else {
                throw ValidationError("name the citizen one way: --cccd, --visit, or --name with --commune")
            }
            if name != nil, commune == nil { throw ValidationError("--name needs --commune (a name alone is not one person)") }
        }

        /// The area the request names, as the audit log writes it.
        var scope: String { Device.text(of: Scope(commune: commune)) }

        /// The text of the selector for the audit log (never the CCCD or the name themselves).
        var audited: String { cccd != nil ? "cccd" : visit != nil ? "visit \(visit ?? "")" : "name in commune \(commune ?? "")" }

        /// The matching visits (deleted ones too), newest change first, and what finds the same citizen in quarantined
        /// payloads (their pseudonym, and the names and phones their visits hold; `--name` within its commune).
        func find(_ storage: any HubStorage, keys: HubKeyFile) async throws -> (visits: [VisitLine], quarantined: [MergeReport.QuarantineLine]) {
            let (lines, pseudonym) = try await visits(storage, keys: keys)
            let live = lines.filter { $0.name != Visit.erasedName }
            let match = QuarantineMatch(pseudonyms: Set([pseudonym].compactMap { $0 }), phones: Set(live.compactMap(\.phone)),
                                        names: Set(live.map(\.name) + [name].compactMap { $0 }), commune: cccd == nil ? commune : nil)
            return (lines, try await storage.quarantined(matching: match))
        }

        /// The matching visits (deleted ones too), newest change first, and the citizen's pseudonym when known.
        func visits(_ storage: any HubStorage, keys: HubKeyFile) async throws -> ([VisitLine], String?) {
            var query = VisitQuery(filter: ReportFilter(commune: commune), name: name, limit: 500)
            query.includeDeleted = true
            if let cccd {
                let digits = try CitizenID(validating: cccd).digits
                guard let secret = try keys.pseudonymKey() else {
                    throw ServerInputError("the key file \(keys.path) holds no pseudonym key: give --key-file, or find by --visit")
                }
                query.pseudonym = ProtectedCitizenID.pseudonym(version: secret.version, hex: try secret.key.pseudonym(of: digits))
            } else if let visit {
                let detail = try await storage.visit(visit.lowercased(), scope: Scope())
                guard let hash = detail.fields.first(where: { $0.field == "cccd" })?.value.object?["hash"]?.text else {
                    return ([detail.visit], nil)
                }
                query.pseudonym = hash
            }
            var lines: [VisitLine] = []
            while true {
                let page = try await storage.visits(query)
                lines += page.visits
                guard let next = page.next else { return (lines, query.pseudonym) }
                query.before = next
            }
        }
    }

    /// `subject find`.
    struct Find: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the visits of one citizen (deleted ones too).",
            discussion: """
                Example:
                  fieldsync-server --db hub.sqlite subject find --cccd 001203012345
                  fieldsync-server --db hub.sqlite subject find --name "tran van binh" --commune 00004
                """)
        @OptionGroup var global: HubOptions
        @OptionGroup var selector: Selector
        @Flag(help: "Print JSON.") var json = false

        func run() async throws {
            let (selector, keys) = (self.selector, global.keys)
            let (lines, quarantined) = try await global.withStorage { try await selector.find($0, keys: keys) }
            try await global.audit(.subjectFind, scope: selector.scope,
                                   detail: ["by": selector.audited, "visits": "\(lines.count)", "quarantined": "\(quarantined.count)"])
            if json {
                // The visits, as before; quarantined records are named on stderr (`subject export` writes them whole).
                if !quarantined.isEmpty {
                    FileHandle.standardError.write(Data(("\(quarantined.count) quarantined record(s) also hold this citizen's data: "
                        + "`subject export` writes them, `subject erase` empties them\n").utf8))
                }
                return try printJSON(lines)
            }
            let section = ReportDocument.Section(
                title: "Visits",
                columns: ["Visit", "Commune", "Service", "Outcome", "Visited (UTC)", "Name", "CCCD", "Phone"].map { ReportDocument.Column($0) },
                rows: lines.map { [$0.id, $0.commune, $0.service, $0.outcome, $0.visitedAt, $0.name, $0.cccdMasked ?? "", $0.phone ?? ""] })
            let refused = ReportDocument.Section(
                title: "Quarantined records", note: "Records the hub refused that hold this citizen's data.",
                columns: ["Record", "Device", "Reason", "Received (UTC)"].map { ReportDocument.Column($0) },
                rows: quarantined.map { [$0.record, $0.device, $0.reason, $0.receivedAt] })
            print(ReportDocument(title: "One citizen's visits", subtitle: "\(lines.count) found, \(quarantined.count) quarantined", summary: [],
                                 sections: [section, refused]).table(), terminator: "")
        }
    }

    /// `subject erase`.
    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one citizen's data everywhere: the hub now, every laptop at its next sync.",
            discussion: """
                Each visit keeps its service, outcome, commune, date and pseudonym (progress does not change);
                its name, phone, note and CCCD are blanked by an erasure write that syncs like any other and
                wins over edits made anywhere before or after it. Conflict entries and quarantined payloads
                about the visits are blanked too. Export first if the citizen asked for a copy.

                Example:
                  fieldsync-server --db hub.sqlite subject erase --cccd 001203012345
                """)
        @OptionGroup var global: HubOptions
        @OptionGroup var selector: Selector

        func run() async throws {
            let (selector, keys) = (self.selector, global.keys)
            let counts = try await global.withStorage { storage in
                let (lines, quarantined) = try await selector.find(storage, keys: keys)
                guard !lines.isEmpty || !quarantined.isEmpty else {
                    throw ServerInputError("no visit nor quarantined record of this citizen at the hub: nothing was erased")
                }
                var counts = lines.isEmpty ? ErasureCounts() : try await storage.erase(lines.map(\.id))
                // Records the hub refused, and may never have stored, keep the citizen's data in their payloads too.
                counts.quarantined += try await storage.eraseQuarantined(records: Array(Set(quarantined.map(\.record))))
                return counts
            }
            try await global.audit(.subjectErase, scope: selector.scope, detail: [
                "by": selector.audited, "visits": "\(counts.visits)", "conflicts": "\(counts.conflicts)", "quarantined": "\(counts.quarantined)",
            ])
            print("erased: \(counts.visits) visits, \(counts.conflicts) conflict entries, \(counts.quarantined) quarantined payloads; "
                  + "laptops erase their copies at their next sync")
        }
    }

    /// `subject export`.
    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every visit, conflict entry and quarantined payload about one citizen, as JSON and CSV.",
            discussion: """
                Writes subject.json, and subject-visits.csv, subject-conflicts.csv and subject-quarantine.csv
                (one table per file) into --out, for the citizen's request.

                Example:
                  fieldsync-server --db hub.sqlite subject export --cccd 001203012345 --out /tmp/request-17
                """)
        @OptionGroup var global: HubOptions
        @OptionGroup var selector: Selector
        @Option(help: ArgumentHelp("The folder to write the files into (created if missing).", valueName: "path")) var out: String

        struct Document: Encodable {
            var visits: [VisitLine]
            var fields: [String: [String: String]]
            var conflicts: [MergeReport.ConflictLine]
            var quarantined: [MergeReport.QuarantineLine]
        }

        func run() async throws {
            let (selector, keys) = (self.selector, global.keys)
            let document = try await global.withStorage { storage in
                let (lines, matched) = try await selector.find(storage, keys: keys)
                var fields: [String: [String: String]] = [:]
                var conflicts: [MergeReport.ConflictLine] = []
                for line in lines {
                    let detail = try await storage.visit(line.id, scope: Scope())
                    fields[line.id] = Dictionary(uniqueKeysWithValues: detail.fields.map { ($0.field, MergeReport.text($0.value)) })
                    conflicts += detail.conflicts
                }
                let ofVisits = try await storage.quarantined(records: lines.map(\.id))
                let known = Set(ofVisits.map { "\($0.record) \($0.device) \($0.receivedAt)" })
                return Document(visits: lines, fields: fields, conflicts: conflicts,
                                quarantined: ofVisits + matched.filter { !known.contains("\($0.record) \($0.device) \($0.receivedAt)") })
            }
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            try encoder.encode(document).write(to: URL(fileURLWithPath: out + "/subject.json"), options: .atomic)
            var visits = CSVWriter(header: ["visit", "commune", "service", "outcome", "reason", "visited_at", "name", "cccd", "phone", "note",
                                            "volunteer", "team"])
            for v in document.visits {
                visits.row([v.id, v.commune, v.service, v.outcome, v.reason ?? "", v.visitedAt, v.name, v.cccdMasked ?? "", v.phone ?? "",
                            v.note, v.volunteer, v.team])
            }
            var conflicts = CSVWriter(header: ["conflict", "visit", "field", "value_a", "value_b", "found_at"])
            for c in document.conflicts {
                for f in c.fields { conflicts.row([c.id, c.record, f.field, MergeReport.text(f.stored?.value), MergeReport.text(f.incoming?.value), c.foundAt]) }
            }
            var quarantine = CSVWriter(header: ["visit", "device", "code", "reason", "received_at", "payload"])
            for q in document.quarantined { quarantine.row([q.record, q.device, q.code, q.reason, q.receivedAt, q.payload]) }
            for (name, table) in [("subject-visits.csv", visits), ("subject-conflicts.csv", conflicts), ("subject-quarantine.csv", quarantine)] {
                var table = table
                try Data(table.take().utf8).write(to: URL(fileURLWithPath: out + "/" + name), options: .atomic)
            }
            try await global.audit(.subjectExport, scope: selector.scope, detail: [
                "by": selector.audited, "visits": "\(document.visits.count)", "conflicts": "\(document.conflicts.count)",
                "quarantined": "\(document.quarantined.count)",
            ])
            FileHandle.standardError.write(Data(("\(document.visits.count) visits, \(document.conflicts.count) conflict entries and "
                + "\(document.quarantined.count) quarantined payloads written to \(out)\n").utf8))
        }
    }
}
