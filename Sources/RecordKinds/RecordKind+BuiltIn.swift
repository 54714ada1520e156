import Foundation

extension RecordKind {
    /// The kinds FieldSync is built with, version 1 of each (`Kinds/`, the same files as Protocol/kinds).
    public static let builtInNames = ["visit", "session"]

    /// A kind FieldSync is built with.
    /// - Throws: `KindError.invalid` when the name is not one, or its document is missing beside the binary.
    public static func builtIn(_ name: String) throws(KindError) -> RecordKind {
        guard builtInNames.contains(name) else {
            throw .invalid(["no kind \(name): FieldSync knows " + builtInNames.joined(separator: ", ")])
        }
        // The package's resource folder, looked up without SwiftPM's accessor (which stops the process when it is missing).
        let folder = "FieldSync_RecordKinds.resources/Kinds/\(name).json"
        let bases = [Bundle.main.bundleURL, Bundle.main.executableURL?.deletingLastPathComponent()].compactMap { $0 }
        guard let url = bases.map({ $0.appendingPathComponent(folder) }).first(where: { FileManager.default.fileExists(atPath: $0.path) }),
              let data = FileManager.default.contents(atPath: url.path)
        else { throw .invalid(["the built-in kind \(name) is missing beside the program (\(folder))"]) }
        return try RecordKind(json: data)
    }
}
