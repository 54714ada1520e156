import SyncProtocol

/// Per device: who, where, when it last synced, what it logged in the period, its unsynced backlog,
/// and whether it has gone quiet.
public struct DevicesReport: Codable, Sendable, Equatable {
    /// One device.
    public struct Line: Codable, Sendable, Equatable {
        public var device: String
        public var role: String
        public var volunteer: String?
        public var team: String?
        public var commune: String?
        public var communeName: String?
        public var lastSync: String?
        /// Visits this device brought to the hub, dated in the period.
        public var visits: Int
        /// The backlog the device reported at its last push.
        public var unsynced: Int?
        /// No sync for `staleDays` days (or never).
        public var stale: Bool
        public var revoked: Bool
        /// The FieldSync version its requests last named, and since when (nil before it named one).
        public var clientVersion: String?
        public var clientVersionAt: String?

        /// Whether this laptop still runs a release older than `latest` (or has named none): a volunteer's device not
        /// revoked (issue 34).
        public func needsUpdate(to latest: ReleaseVersion) -> Bool {
            guard role == "volunteer", !revoked else { return false }
            return clientVersion.flatMap { ReleaseVersion($0) }.map { $0 < latest } ?? true
        }
    }

    public var filter: ReportFilter
    public var staleDays: Int
    public var generatedAt: String
    public var devices: [Line]
    public var staleCount: Int
}

/// The same citizen (keyed CCCD hash) helped for the same service more than once, with every visit.
public struct DuplicatesReport: Codable, Sendable, Equatable {
    /// One visit of a group.
    public struct Visit: Codable, Sendable, Equatable {
        public var id: String
        public var commune: String
        public var outcome: String
        public var visitedAt: String
        public var volunteer: String
        public var team: String
        public var device: String?
        /// The citizen's name as this visit has it (two volunteers may spell it differently).
        public var name: String
        /// The masked CCCD as this visit has it.
        public var citizen: String
    }

    /// The visits of one citizen for one service.
    public struct Group: Codable, Sendable, Equatable {
        /// The masked CCCD (the hub never has it in clear).
        public var citizen: String
        public var name: String
        /// The first 12 hex digits of the keyed hash, to tell groups apart.
        public var hash: String
        public var service: String
        public var visits: [Visit]
    }

    public var filter: ReportFilter
    public var groups: [Group]
}

extension DuplicatesReport {
    /// A live visit with a keyed CCCD hash, as a store reads it for the report.
    package struct Row: Sendable {
        package var id, commune, service, outcome, visitedAt, volunteer, team: String
        package var device: String?
        package var masked, name, hash: String

        package init(id: String, commune: String, service: String, outcome: String, visitedAt: String, volunteer: String,
                     team: String, device: String?, masked: String, name: String, hash: String) {
            (self.id, self.commune, self.service, self.outcome, self.visitedAt) = (id, commune, service, outcome, visitedAt)
            (self.volunteer, self.team, self.device, self.masked, self.name, self.hash) = (volunteer, team, device, masked, name, hash)
        }
    }

    /// The report from rows of repeated (commune, service, citizen) triples, each group's visits oldest first.
    package init(filter: ReportFilter, rows: [Row]) {
        var groups: [String: Group] = [:]
        for row in rows.sorted(by: { ($0.visitedAt, $0.id) < ($1.visitedAt, $1.id) }) {
            let key = row.commune + "|" + row.service + "|" + row.hash
            groups[key, default: Group(citizen: row.masked, name: row.name, hash: String(row.hash.prefix(12)), service: row.service,
                                       visits: [])].visits
                .append(Visit(id: row.id, commune: row.commune, outcome: row.outcome, visitedAt: row.visitedAt, volunteer: row.volunteer,
                              team: row.team, device: row.device, name: row.name, citizen: row.masked))
        }
        self.init(filter: filter, groups: groups.values.filter { $0.visits.count > 1 }.sorted { ($0.service, $0.hash) < ($1.service, $1.hash) })
    }
}
