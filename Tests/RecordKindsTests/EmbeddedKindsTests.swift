import Foundation
import Testing
@testable import RecordKinds

/// The kind documents compiled into the programs are the files in `Sources/RecordKinds/Kinds` (Tools/embed-resources.py).
@Suite struct EmbeddedKindsTests {
    @Test func compiledKindsEqualTheFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/RecordKinds/Kinds")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".json") }.sorted()
        #expect(files.map { String($0.dropLast(5)) } == EmbeddedKinds.texts.keys.sorted(), "run python3 Tools/embed-resources.py")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            let embedded = try #require(EmbeddedKinds.texts[String(file.dropLast(5))])
            #expect(embedded + "\n" == text || embedded == text, "\(file) differs from its compiled copy: run python3 Tools/embed-resources.py")
        }
        #expect(Set(RecordKind.builtInNames).isSubset(of: Set(EmbeddedKinds.texts.keys)))
    }
}
