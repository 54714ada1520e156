import Foundation
import RecordKinds

/// The answer of `GET /v1/kinds` (Protocol/README.md §12), which offline bundles carry too: every version the hub knows.
public struct KindsAnswer: Codable, Sendable {
    public let kinds: [RecordKind]

    public init(kinds: [RecordKind]) { self.kinds = kinds }

    /// Its JSON text, as the hub sends it.
    public func text() throws -> String { String(decoding: try JSONEncoder().encode(self), as: UTF8.self) }
}

/// A version of a record kind as the hub keeps it: the document, and who published it when (nil for the versions
/// FieldSync is built with).
public struct PublishedKind: Sendable, Equatable {
    public var document: RecordKind
    /// When it was published (canonical UTC), nil for a built-in version.
    public var publishedAt: String?
    public var publishedBy: String?

    public init(document: RecordKind, publishedAt: String?, publishedBy: String?) {
        self.document = document
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }

    /// The latest version of the kind `name` among `kinds` (as `HubEngine.kinds()` answers them), nil for none.
    public static func latest(_ name: String, in kinds: [PublishedKind]) -> RecordKind? {
        kinds.filter { $0.document.kind == name }.max { $0.document.version < $1.document.version }?.document
    }
}
