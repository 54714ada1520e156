import RecordKinds

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
}
