/// A coordinator's console sign-in: the device it acts as (scope, revocation) and the slow hash of
/// its passphrase (bcrypt). Logins are kept in lower case.
public struct ConsoleLogin: Sendable, Equatable {
    /// The login, in lower case.
    public let login: String
    /// The coordinator's device.
    public let device: Device
    /// The passphrase's bcrypt hash.
    public let passphraseHash: String

    /// Makes a console login.
    public init(login: String, device: Device, passphraseHash: String) {
        self.login = login
        self.device = device
        self.passphraseHash = passphraseHash
    }

    package static let takenMessage = "this login is taken: choose another"
}
