import SyncProtocol

/// An enrolled device (a volunteer's laptop or a coordinator's token) as the hub knows it.
public struct Device: Sendable, Equatable, Codable {
    /// The hub's id for it (`d-…`).
    public let id: String
    /// Volunteer or coordinator.
    public let role: Role
    /// What it may see and write.
    public let scope: Scope
    /// The volunteer's name, when it gave one.
    public let volunteer: String?
    /// When it enrolled.
    public let enrolledAt: String
    /// When it was revoked, if it was.
    public let revokedAt: String?
    /// When it last pushed or pulled.
    public let lastSyncAt: String?
    /// The unsynced backlog it reported at its last push.
    public let lastUnsynced: Int?
    /// The FieldSync version its requests last named (nil: none named yet), and since when (§8.2).
    public var clientVersion: String?
    public var clientVersionAt: String?

    /// Whether a record of this commune is inside the device's scope.
    public func covers(commune: String) -> Bool { scope.covers(commune: commune) }

    /// A one-line description of the scope for people.
    public var scopeText: String { Self.text(of: scope) }

    /// A one-line description of a scope for people (`commune 00004, team T-01`, `province 01`, `whole country`).
    public static func text(of scope: Scope) -> String {
        if let commune = scope.commune { return "commune \(commune)" + (scope.team.map { ", team \($0)" } ?? "") }
        if let province = scope.province { return "province \(province)" }
        return "whole country"
    }
}

extension PushRequest {
    /// The mark of the states this push stores exactly as sent (`records.sent_in`); nil when it names no session.
    package func sentIn(by device: Device) -> String? {
        sync.map { Self.sentIn(device: device.id, session: $0) }
    }
}
