/// Why a kind document cannot be used, or cannot follow the version published before it.
public enum KindError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The document is not a usable kind (each problem named).
    case invalid([String])
    /// The new version is not a compatible evolution of the published one (Protocol/README.md §12).
    case incompatible(KindEvolution.Refusal, detail: String)

    public var description: String {
        switch self {
        case .invalid(let problems): "not a usable kind document: " + problems.joined(separator: "; ")
        case .incompatible(let refusal, let detail): "\(refusal.rawValue): \(detail)"
        }
    }
}
