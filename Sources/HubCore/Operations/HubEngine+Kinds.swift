import FieldModel
import Foundation
import RecordKinds

extension HubEngine {
    /// Every version of every kind: FieldSync's built-in first versions, then each one published, by kind and version.
    public func kinds() async throws -> [PublishedKind] {
        let published = try await snapshot { session in
            try await session.query("SELECT document, published_at, published_by FROM kinds ORDER BY kind, version").map { row in
                PublishedKind(document: try Self.kind(try row.text("document") ?? ""), publishedAt: try row.text("published_at"),
                              publishedBy: try row.text("published_by"))
            }
        }
        let builtIn = try RecordKind.builtInNames.map { PublishedKind(document: try Self.builtInKind($0), publishedAt: nil, publishedBy: nil) }
        return (builtIn + published).sorted { ($0.document.kind, $0.document.version) < ($1.document.kind, $1.document.version) }
    }

    /// Publishes a kind's next version after the latest the hub knows (publishers take turns), or a new kind's first.
    /// - Throws: `HubError.invalidRequest` naming the refusal (`field-removed: note is gone: retire it instead`).
    public func publishKind(_ kind: RecordKind, by publisher: String) async throws -> PublishedKind {
        let now = ISODate.format(clock.now())
        return try await transaction { session in
            try await session.lock(named: "kinds")
            let latestPublished = try await session.query("SELECT document FROM kinds WHERE kind = ? ORDER BY version DESC LIMIT 1",
                                                          [.text(kind.kind)]).first.map { try Self.kind(try $0.text("document") ?? "") }
            let latest = try latestPublished ?? (RecordKind.builtInNames.contains(kind.kind) ? Self.builtInKind(kind.kind) : nil)
            do {
                if let latest {
                    try KindEvolution.check(kind, after: latest)
                    // An erasure blanks the personal fields FieldSync is built with; a published one it could not blank yet.
                    if let added = kind.fields.first(where: { $0.personal == true && latest.field($0.name) == nil }) {
                        throw KindError.invalid(["field \(added.name) is personal: a published field cannot be personal yet "
                                                 + "(an erasure would not blank it); publish it without personal"])
                    }
                } else {
                    guard kind.problems.isEmpty else { throw KindError.invalid(kind.problems) }
                    guard kind.version == 1 else {
                        throw KindError.incompatible(.versionNotNext, detail: "a new kind starts at version 1")
                    }
                }
            } catch {
                throw HubError.invalidRequest("\(kind.kind) version \(kind.version) cannot be published: \(error)")
            }
            let document = String(decoding: try JSONEncoder().encode(kind), as: UTF8.self)
            try await session.execute("INSERT INTO kinds (kind, version, document, published_at, published_by) VALUES (?, ?, ?, ?, ?)",
                                      [.text(kind.kind), .integer(Int64(kind.version)), .text(document), .text(now), .text(publisher)])
            return PublishedKind(document: kind, publishedAt: now, publishedBy: publisher)
        }
    }

    /// How many kind versions have been published (sync answers announce it).
    public func publishedKindCount() async throws -> Int {
        try await quickRead { session in try await session.query("SELECT count(*) AS n FROM kinds").first?.int("n") ?? 0 }
    }

    /// The latest version of every kind, which every record pushed is checked by (its fields and options are those of
    /// every earlier version: fields and options are only added or retired): FieldSync's own, or the latest published.
    func latestKinds(in session: Session) async throws -> [String: RecordKind] {
        var latest: [String: RecordKind] = [:]
        for name in RecordKind.builtInNames { latest[name] = try Self.builtInKind(name) }
        for row in try await session.query("SELECT document FROM kinds ORDER BY kind, version") {
            let kind = try Self.kind(try row.text("document") ?? "")
            latest[kind.kind] = kind
        }
        return latest
    }

    static func kind(_ document: String) throws -> RecordKind {
        do {
            return try RecordKind(json: Data(document.utf8))
        } catch {
            throw HubError.unavailable("the hub store holds a damaged kind document (\(error))")
        }
    }

    static func builtInKind(_ name: String) throws -> RecordKind {
        do {
            return try RecordKind.builtIn(name)
        } catch {
            throw HubError.unavailable("\(error)")
        }
    }
}
