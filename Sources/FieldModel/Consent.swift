#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The citizen's consent to record their personal data, as the data-protection law requires.
public struct Consent: Hashable, Sendable {
    /// When consent was given.
    public var at: Date
    /// The volunteer who asked for it.
    public var by: String
    /// The version of the privacy notice the citizen was shown.
    public var policy: String

    /// Makes a consent record.
    public init(at: Date, by: String, policy: String) {
        self.at = at
        self.by = by
        self.policy = policy
    }
}
