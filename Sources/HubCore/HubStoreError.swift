import Foundation

/// Why the hub's store file could not be opened.
public enum HubStoreError: Error, Equatable, CustomStringConvertible {
    case missing(path: String)
    case folderMissing(path: String)
    case notAHub(path: String)
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// The database could not be used: `problem` says why, for the operator.
    case database(path: String, problem: String)
    /// The hub's key file is missing, unreadable, or not this hub's.
    case keyFile(path: String, problem: String)

    public static func == (lhs: HubStoreError, rhs: HubStoreError) -> Bool { lhs.description == rhs.description }

    public var description: String {
        switch self {
        case .missing(let path): "no hub store at \(path): start `fieldsync-server --db \(path) serve` once to create it"
        case .folderMissing(let path):
            "the folder of \(path) does not exist: create it (e.g. mkdir -p \((path as NSString).deletingLastPathComponent)) or give another --db"
        case .notAHub(let path): "\(path) is not a FieldSync hub store: check --db"
        case .schemaTooNew(let path, let found, let supported):
            "the hub store \(path) has schema \(found), this fieldsync-server knows up to \(supported): install the newer version"
        case .database(_, let problem): problem
        case .keyFile(let path, let problem): "the hub's key file \(path) \(problem)"
        }
    }
}

extension String {
    /// The text padded on the left with zeros to `width` characters.
    package func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
