import FieldModel
import Foundation
import SyncProtocol

/// The hub change number below which every active device has pulled (Protocol/README.md §7.2): a
/// deleted visit changed at or below it has reached every laptop that still syncs, so it can be compacted.
public struct TombstoneHorizon: Sendable, Equatable {
    /// What the horizon needs to know of one device.
    public struct Checkpoint: Sendable, Equatable {
        /// The hub's id for the device.
        public let device: String
        /// Volunteer or coordinator.
        public let role: Role
        /// Whether its token was revoked.
        public let revoked: Bool
        /// When it last pushed, pulled or enrolled.
        public let lastSeen: Date
        /// The cursor of its latest pull request: every change up to it is stored on the device.
        public let pulledThrough: UInt64
        /// Whether it ever pulled (a coordinator's token usually never does).
        public let pulls: Bool

        /// A checkpoint as both stores keep its columns (`devices`): last seen is the latest of enrolment,
        /// last push and last pull; a device that never pulled has no `pulled_at`.
        public init(device: String, role: String, revokedAt: String?, enrolledAt: String?, lastSyncAt: String?, pulledAt: String?,
                    pulledThrough: Int64) {
            self.init(device: device, role: Role(rawValue: role) ?? .volunteer, revoked: revokedAt != nil,
                      lastSeen: [enrolledAt, lastSyncAt, pulledAt].compactMap { $0.flatMap(ISODate.parseCanonical) }.max() ?? .distantPast,
                      pulledThrough: UInt64(clamping: pulledThrough), pulls: pulledAt != nil)
        }

        /// Makes a checkpoint.
        public init(device: String, role: Role, revoked: Bool, lastSeen: Date, pulledThrough: UInt64, pulls: Bool) {
            self.device = device
            self.role = role
            self.revoked = revoked
            self.lastSeen = lastSeen
            self.pulledThrough = pulledThrough
            self.pulls = pulls
        }
    }

    /// Every change at or below this number has been pulled by every active device.
    public let horizon: UInt64
    /// The devices that hold it back (the lowest checkpoint among the active ones), none when nobody is active.
    public let heldBy: [String]
    /// Devices left out: revoked, or silent for longer than the grace period. A left-out device that
    /// comes back receives the compacted ids in its next pull and drops its copies.
    public let excluded: [String]

    /// The horizon over `devices`: the lowest checkpoint among the active ones (not revoked, seen within
    /// `grace` of `now`, and either a volunteer or a device that has pulled); `hubSeq` when none is active.
    public init(devices: [Checkpoint], hubSeq: UInt64, grace: TimeInterval, now: Date) {
        var active: [Checkpoint] = []
        var excluded: [String] = []
        for device in devices where device.role == .volunteer || device.pulls {
            if device.revoked || device.lastSeen < now.addingTimeInterval(-grace) {
                excluded.append(device.device)
            } else {
                active.append(device)
            }
        }
        let lowest = active.map(\.pulledThrough).min()
        horizon = min(lowest ?? hubSeq, hubSeq)
        heldBy = lowest.map { low in active.filter { $0.pulledThrough == low }.map(\.device) } ?? []
        self.excluded = excluded
    }
}
