/// Why a release was refused, in words for the operator or the volunteer.
public enum ReleaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The signature is not the pinned release key's: someone else made the package.
    case forged(String)
    /// The file is not the one signed (its size or SHA-256 differs).
    case altered(String)
    /// Not newer than what is installed or published.
    case older(String)
    /// A key, manifest or package that cannot be read.
    case unreadable(String)

    public var description: String {
        switch self {
        case .forged(let detail), .altered(let detail), .older(let detail), .unreadable(let detail): detail
        }
    }
}
