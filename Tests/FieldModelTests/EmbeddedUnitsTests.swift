import Foundation
import Testing
@testable import FieldModel

/// The administrative units compiled into the programs are the files in `Sources/FieldModel/Resources`
/// (Tools/embed-resources.py).
@Suite struct EmbeddedUnitsTests {
    @Test func compiledUnitsEqualTheFiles() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/FieldModel/Resources")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".csv") }.sorted()
        #expect(files.map { String($0.dropLast(4)) } == EmbeddedUnits.texts.keys.sorted(), "run python3 Tools/embed-resources.py")
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8).replacingOccurrences(of: "\r\n", with: "\n")
            let embedded = try #require(EmbeddedUnits.texts[String(file.dropLast(4))])
            #expect(embedded + "\n" == text || embedded == text, "\(file) differs from its compiled copy: run python3 Tools/embed-resources.py")
        }
        #expect(CommuneCatalogue.shared.communes.count == 3_321)
        #expect(CommuneCatalogue.shared.provinces.count == 34)
    }
}
