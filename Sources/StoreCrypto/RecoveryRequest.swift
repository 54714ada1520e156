/// A request to recover a store's key, carried to the hub's operator (`fieldsync-server recover-store`).
public struct RecoveryRequest: Codable, Sendable, Equatable {
    /// The store's lock id (the recovery wrap is bound to it).
    public var store: String
    /// Whose store it is, for the operator.
    public var volunteer: String
    /// The store key wrapped to the hub's recovery key (base64).
    public var wrapped: String
    /// The one-time public key (hex) the answer is sealed to.
    public var answerKey: String

    /// Makes a request.
    public init(store: String, volunteer: String, wrapped: String, answerKey: String) {
        self.store = store
        self.volunteer = volunteer
        self.wrapped = wrapped
        self.answerKey = answerKey
    }
}
