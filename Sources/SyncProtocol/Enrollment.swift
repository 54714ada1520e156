import SyncCore

/// A device asks to enrol with a one-time code (Protocol/README.md §8).
public struct EnrollRequest: Codable, Sendable {
    public var code: String
    public var replica: ReplicaID?
    public var volunteer: String?
    /// The device's bundle keys, public halves (`<Ed25519 hex>.<X25519 hex>`, §9).
    public var bundleKeys: String?
    /// The commune and team the laptop was set up for, on its first enrolment: a volunteer's code of another
    /// is refused without being used (§8). Absent when a laptop that moves enrols again.
    public var setUpFor: Scope?
    /// On an enrolment again (`enroll --again`), the laptop's previous token, revoked or not: the hub then counts the
    /// replica ids of that device as this one's (the right to erase the visits it logged stays with the laptop, §4.3).
    public var previousToken: String?

    /// Makes a request.
    public init(code: String, replica: ReplicaID?, volunteer: String?, bundleKeys: String? = nil, setUpFor: Scope? = nil,
                previousToken: String? = nil) {
        self.code = code
        self.replica = replica
        self.volunteer = volunteer
        self.bundleKeys = bundleKeys
        self.setUpFor = setUpFor
        self.previousToken = previousToken
    }

    /// Whether a text is the public form of bundle keys: 64 hex digits, a dot, 64 hex digits.
    public static func isBundleKeys(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { $0.utf8.count == 64 && $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) } }
    }
}

/// What a device may see and write.
public struct Scope: Codable, Sendable, Equatable {
    /// The team (volunteers).
    public var team: String?
    /// The commune (volunteers, commune coordinators).
    public var commune: String?
    /// The province (province coordinators).
    public var province: String?

    /// Makes a scope; all nil means the whole country.
    public init(team: String? = nil, commune: String? = nil, province: String? = nil) {
        self.team = team
        self.commune = commune
        self.province = province
    }
}

/// A device's two roles.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Pushes and pulls its commune's visits.
    case volunteer
    /// Reads reports (and pulls) within a wider scope.
    case coordinator
}

/// The hub's answer to an enrolment.
public struct EnrollResponse: Codable, Sendable {
    public var token: String
    public var device: String
    public var role: Role
    public var scope: Scope
    /// The keyed-hash key of protocol 2 (64 hex digits); hubs that make pseudonyms never send it.
    public var citizenIdKey: String?
    /// The hub's pseudonym key (Protocol/README.md §4.2); volunteers' devices only.
    public var pseudonymKey: PseudonymKey?
    /// The hub's recovery key (X25519, 64 hex): a laptop wraps its store key to it, so the hub's
    /// operator can recover a store whose volunteer left (Protocol/THREATS.md); volunteers' devices only.
    public var recoveryKey: String?
    /// The hub's bundle keys, public halves (`<Ed25519 hex>.<X25519 hex>`): bundles are sealed to it and
    /// its answers signed with it (§9); volunteers' devices only.
    public var hubBundleKeys: String?
    /// The device's certificate (§9.1), for a volunteer that gave bundle keys.
    public var certificate: DeviceCertificate?
    /// The release key the hub's shelf pinned (Ed25519, 44 base64 characters): the laptop pins it for `fieldsync update`
    /// (§10); volunteers' devices only, and only once the hub has published a package.
    public var releaseKey: String?
    public var hubReplica: ReplicaID
    public var maxDriftMillis: UInt64

    /// Makes a response.
    public init(token: String, device: String, role: Role, scope: Scope, citizenIdKey: String?, hubReplica: ReplicaID,
                maxDriftMillis: UInt64) {
        self.token = token
        self.device = device
        self.role = role
        self.scope = scope
        self.citizenIdKey = citizenIdKey
        self.pseudonymKey = nil
        self.recoveryKey = nil
        self.hubReplica = hubReplica
        self.maxDriftMillis = maxDriftMillis
    }
}
