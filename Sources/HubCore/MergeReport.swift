import SyncCore

/// The merge report: what every device's pushes did, every conflict with both values, every
/// quarantined record and refused push — so a coordinator can tell that nothing was lost.
public struct MergeReport: Codable, Sendable {
    /// Counts over the period.
    public struct Totals: Codable, Sendable, Equatable {
        public var batches = 0
        public var received = 0
        public var alreadyKnown = 0
        public var fastForward = 0
        /// Concurrent pushes that touched different fields: combined, no entry.
        public var merged = 0
        public var conflicts = 0
        /// Edits that met a deletion (the visit stays deleted, the edit is listed).
        public var editVsDelete = 0
        /// Conflict and edit-vs-delete entries a coordinator has resolved.
        public var resolved = 0
        public var quarantined = 0
        public var refusals = 0
    }

    /// One device's pushes.
    public struct DeviceLine: Codable, Sendable {
        public var device: String
        public var volunteer: String?
        public var team: String?
        public var commune: String?
        public var totals: Totals
    }

    /// Who wrote a value and when.
    public struct Written: Codable, Sendable {
        public var value: FieldValue
        public var stamp: Stamp
        public var replica: String
        public var device: String?
        public var volunteer: String?
        public var at: String
    }

    /// One field of a conflict.
    public struct FieldLine: Codable, Sendable {
        public var field: String
        public var stored: Written?
        public var incoming: Written?
        public var winner: Conflict.Side
    }

    /// One conflict.
    public struct ConflictLine: Codable, Sendable {
        public var id: String
        /// `conflict` or `edit-vs-delete`.
        public var kind: String
        public var record: String
        public var commune: String?
        public var citizen: String?
        public var foundAt: String
        public var detectedBy: String
        /// The volunteer of the laptop that found it (nil: the hub, or a laptop that names no one).
        public var detectedByName: String?
        public var fields: [FieldLine]
        /// How it was resolved, if it was.
        public var resolution: ConflictResolution?
        /// The visit's value of each field now (when one entry is shown).
        public var current: [String: FieldValue]?
    }

    /// One quarantined record, with the start of its raw payload.
    public struct QuarantineLine: Codable, Sendable {
        public var record: String
        public var device: String
        public var volunteer: String?
        public var code: String
        public var reason: String
        public var receivedAt: String
        /// The first `HubLimits.reportPayloadBytes` of the payload as kept.
        public var payload: String
        /// The payload's size as received, in bytes.
        public var payloadSize: Int
        /// How many times the device sent this record and had it refused.
        public var attempts: Int
    }

    /// One refused push.
    public struct RefusalLine: Codable, Sendable {
        public var device: String?
        /// The device's volunteer, when it names one.
        public var volunteer: String?
        public var kind: String
        public var detail: String
        public var at: String
    }

    public var since: String?
    public var until: String?
    public var totals: Totals
    public var devices: [DeviceLine]
    public var conflicts: [ConflictLine]
    public var quarantined: [QuarantineLine]
    /// Quarantined records counted in `totals` but not listed.
    public var quarantinedNotListed: Int
    public var refusals: [RefusalLine]
    /// Refused pushes counted in `totals` but not listed.
    public var refusalsNotListed: Int
}

extension MergeReport.Totals {
    /// Batch totals as a store sums them (both backends).
    package init(batches: Int, received: Int, alreadyKnown: Int, fastForward: Int, merged: Int, conflicts: Int, editVsDelete: Int,
                 quarantined: Int) {
        self.init()
        (self.batches, self.received, self.alreadyKnown, self.fastForward) = (batches, received, alreadyKnown, fastForward)
        (self.merged, self.conflicts, self.editVsDelete, self.quarantined) = (merged, conflicts, editVsDelete, quarantined)
    }
}

extension MergeReport.QuarantineLine {
    package init(record: String, device: String, volunteer: String?, code: String, reason: String, receivedAt: String,
                 payloadStart payload: String, payloadSize: Int, attempts: Int) {
        self.init(record: record, device: device, volunteer: volunteer, code: code, reason: reason, receivedAt: receivedAt,
                  payload: payload, payloadSize: payloadSize, attempts: attempts)
    }
}

extension MergeReport.RefusalLine {
    package init(refusedDevice device: String?, volunteer: String?, kind: String, detail: String, at: String) {
        self.init(device: device, volunteer: volunteer, kind: kind, detail: detail, at: at)
    }
}

extension MergeReport.ConflictLine {
    /// The value the visit keeps for a field of this entry: the resolution's when it wrote one, else the merge's.
    public func kept(_ field: MergeReport.FieldLine) -> FieldValue? {
        resolution?.values?[field.field] ?? (field.winner == .stored ? field.stored : field.incoming)?.value
    }
}
