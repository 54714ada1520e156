import Foundation
import Testing

/// The laptop's `fieldsync` links FoundationEssentials only (issue 34): Foundation proper brings ICU's 30 MB and its
/// start-up with it, and one reference anywhere in the modules it links pulls all of it in.
@Suite struct StartUpTests {
    /// The modules `fieldsync` links (Package.swift), in this repository.
    static let laptopModules = ["FieldSyncCLI", "CLISupport", "FieldStore", "Localization", "TextSafety", "Platform", "SQLiteKit",
                                "FieldModel", "RecordKinds", "SyncCore", "SyncProtocol", "StoreCrypto", "OfflineBundle", "WireCompression"]

    @Test func theLaptopToolsModulesImportFoundationEssentialsOnly() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var found: [String] = []
        for module in Self.laptopModules {
            let folder = root.appendingPathComponent("Sources/\(module)")
            let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
            #expect(!files.isEmpty, "Sources/\(module) was found")
            for file in files where file.hasSuffix(".swift") {
                let lines = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).split(separator: "\n").map(String.init)
                for (n, line) in lines.enumerated() where line.hasSuffix("import Foundation") || line.contains("import FoundationNetworking") {
                    // Allowed only as the other branch of `#if canImport(FoundationEssentials)` (Darwin has no FoundationEssentials).
                    if n >= 3, lines[n - 1] == "#else", lines[n - 2].hasSuffix("import FoundationEssentials"),
                       lines[n - 3] == "#if canImport(FoundationEssentials)" { continue }
                    found.append("Sources/\(module)/\(file):\(n + 1): \(line)")
                }
            }
        }
        #expect(found.isEmpty, "Foundation imported by a module of the laptop's fieldsync:\n\(found.joined(separator: "\n"))")
        // SwiftPM's resource bundles are read through Foundation's Bundle: data is compiled in instead (Tools/embed-resources.py).
        let package = try String(contentsOf: root.appendingPathComponent("Package.swift"), encoding: .utf8)
        #expect(!package.contains("resources:"), "a target with resources links Foundation's Bundle")
    }
}
