import Foundation

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

    /// Every built-in document, read from the disk once.
    static let builtIns = Result { () throws(KindError) -> [String: RecordKind] in
        var kinds: [String: RecordKind] = [:]
        for name in builtInNames {
            // The package's resource folder, looked up without SwiftPM's accessor (which stops the process when it is missing).
            let folder = "FieldSync_RecordKinds.resources/Kinds/\(name).json"
            let bases = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
            guard let url = bases.map({ $0.appendingPathComponent(folder) }).first(where: { FileManager.default.fileExists(atPath: $0.path) }),
                  let data = FileManager.default.contents(atPath: url.path)
            else { throw KindError.invalid(["the built-in kind \(name) is missing beside the program (\(folder))"]) }
            kinds[name] = try RecordKind(json: data)
        }
        return kinds
    }
}
