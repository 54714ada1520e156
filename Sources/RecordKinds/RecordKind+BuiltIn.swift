#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension RecordKind {
    /// The kinds FieldSync is built with, version 1 of each (`Kinds/`, the same files as Protocol/kinds).
    public static let builtInNames = ["visit", "session", "household"]

    /// A kind FieldSync is built with.
    /// - Throws: `KindError.invalid` when the name is not one, or its document is missing beside the binary.
    public static func builtIn(_ name: String) throws(KindError) -> RecordKind {
        guard builtInNames.contains(name) else {
            throw .invalid(["no kind \(name): FieldSync knows " + builtInNames.joined(separator: ", ")])
        }
        guard let kind = try builtIns.get()[name] else { throw .invalid(["the built-in kind \(name) is missing"]) }
        return kind
    }

    /// Every built-in document, decoded once.
    static let builtIns = Result { () throws(KindError) -> [String: RecordKind] in
        var kinds: [String: RecordKind] = [:]
        for name in builtInNames {
            guard let text = EmbeddedKinds.texts[name] else { throw KindError.invalid(["the built-in kind \(name) is missing"]) }
            kinds[name] = try RecordKind(json: Data(text.utf8))
        }
        return kinds
    }
}
