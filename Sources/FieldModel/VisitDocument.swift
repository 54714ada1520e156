import SyncCore

/// The JSON shape of a visit in `list --json`, `show --json` and the hub's `export`.
public struct VisitDocument: Codable, Equatable, Sendable {
    public var id: String
    public var service: String
    public var outcome: String
    public var commune: String
    public var province: String?
    public var name: String
    /// The masked citizen ID (never the raw number).
    public var cccd: String?
    public var phone: String?
    public var reason: String?
    public var note: String
    public var visitedAt: String
    public var volunteer: String
    public var team: String
    public var consent: ConsentDocument?
    public var deleted: Bool
    /// The version vector: replica id → seq of its latest write.
    public var version: [String: UInt64]
    /// The fields a published version of the visit kind added, by name; absent when the visit has none.
    public var published: [String: FieldValue]?

    /// The consent part.
    public struct ConsentDocument: Codable, Equatable, Sendable {
        public var at: String
        public var by: String
        public var policy: String
    }

    /// The document of a visit and its version vector.
    public init(_ visit: Visit, version: VersionVector, catalogue: CommuneCatalogue = .shared) {
        id = visit.id
        service = visit.service.rawValue
        outcome = visit.outcome.rawValue
        commune = visit.commune
        province = catalogue.commune(visit.commune)?.provinceCode
        name = visit.citizenName
        cccd = visit.citizenID?.masked
        phone = visit.phone
        reason = visit.reason?.rawValue
        note = visit.note
        visitedAt = ISODate.format(visit.visitedAt)
        self.volunteer = visit.volunteer
        team = visit.team
        consent = visit.consent.map { ConsentDocument(at: ISODate.format($0.at), by: $0.by, policy: $0.policy) }
        deleted = visit.deleted
        self.version = Dictionary(uniqueKeysWithValues: version.entries.map { ($0.replica.description, $0.seq) })
        published = visit.extra.isEmpty ? nil : visit.extra
    }

    enum CodingKeys: String, CodingKey {
        case id, service, outcome, commune, province, name, cccd, phone, reason, note, visitedAt, volunteer, team
        case consent, deleted, version, published
    }

    /// Encodes every key, absent values as null, so scripts see a fixed shape.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(service, forKey: .service)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(commune, forKey: .commune)
        try c.encode(province, forKey: .province)
        try c.encode(name, forKey: .name)
        try c.encode(cccd, forKey: .cccd)
        try c.encode(phone, forKey: .phone)
        try c.encode(reason, forKey: .reason)
        try c.encode(note, forKey: .note)
        try c.encode(visitedAt, forKey: .visitedAt)
        try c.encode(volunteer, forKey: .volunteer)
        try c.encode(team, forKey: .team)
        try c.encode(consent, forKey: .consent)
        try c.encode(deleted, forKey: .deleted)
        try c.encode(version, forKey: .version)
        try c.encodeIfPresent(published, forKey: .published)
    }
}
