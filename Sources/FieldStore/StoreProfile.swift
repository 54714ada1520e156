import SyncCore

/// Who this store belongs to: the replica's identity and the volunteer, team and commune it serves.
public struct StoreProfile: Sendable, Equatable {
    /// This replica's id.
    public let replicaID: ReplicaID
    /// The volunteer's name.
    public let volunteer: String
    /// The team code.
    public let team: String
    /// The home commune: new visits default to it.
    public let commune: String
    /// The privacy-notice version consent is recorded against.
    public let consentPolicy: String
}
