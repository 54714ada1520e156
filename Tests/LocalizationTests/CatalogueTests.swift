import FieldModel
import Foundation
import Testing
@testable import Localization

/// The catalogue: both languages hold every key, every code has a label, every key the code and the
/// templates use exists, and each language reads as itself.
struct CatalogueTests {
    static let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources")

    @Test func bothLanguagesHoldTheSameKeys() {
        let vi = Set(Catalogue.vietnamese.keys), en = Set(Catalogue.english.keys)
        #expect(vi.subtracting(en).sorted() == [], "keys only in Vietnamese")
        #expect(en.subtracting(vi).sorted() == [], "keys only in English")
        #expect(vi.count > 300, "the catalogue holds what people read: \(vi.count) keys")
    }

    @Test(arguments: Language.allCases)
    func everyCodeHasALabel(language: Language) {
        let t = Catalogue(language)
        for code in Service.allCases.map(\.rawValue) { #expect(t.service(code) != code, "\(language): service \(code)") }
        for code in Outcome.allCases.map(\.rawValue) { #expect(t.outcome(code) != code, "\(language): outcome \(code)") }
        for code in FailureReason.allCases.map(\.rawValue) { #expect(t.reason(code) != code, "\(language): reason \(code)") }
        for field in VisitField.allCases.map(\.rawValue) { #expect(t.field(field) != field, "\(language): field \(field)") }
        for key in ["role.volunteer", "role.coordinator", "conflict_kind.conflict", "conflict_kind.edit-vs-delete",
                    "choice.keep", "choice.take", "choice.set"] {
            #expect(t.has(key), "\(language): \(key)")
        }
        #expect(t.service("a-code-from-a-newer-version") == "a-code-from-a-newer-version", "an unknown code shows as itself")
        #expect(t["no.such.key"] == "⟦no.such.key⟧", "a missing key shows, never falls back silently")
    }

    /// Every key the sources use (`t["…"]`, `catalogue["…"]`, `format("…"`, `label("…"`, `{{t.…}}`) is in the catalogue.
    @Test func everyKeyTheSourcesUseExists() throws {
        let patterns = [#"(?:\bt|catalogue|words)\["([A-Za-z0-9_.\-]+)"\]"#, #"format\("([A-Za-z0-9_.\-]+)""#,
                        #"(?:label|column)\("([A-Za-z0-9_.\-]+)""#, #"\{\{t\.([A-Za-z0-9_]+)\}\}"#]
        var used: [String: String] = [:]
        let files = FileManager.default.enumerator(at: Self.sources, includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            guard file.pathExtension == "swift" else { continue }
            let text = try String(contentsOf: file, encoding: .utf8)
            for pattern in patterns {
                for match in text.matches(of: try Regex(pattern)) {
                    if let key = match.output[1].substring { used[String(key)] = file.lastPathComponent }
                }
            }
        }
        #expect(used.count > 100, "the scan finds the keys (\(used.count))")
        let t = Catalogue(.vietnamese)
        let missing = used.filter { key, _ in !t.has(key) && !key.hasSuffix(".") && !key.hasSuffix("_") }.map { "\($0.key) (\($0.value))" }.sorted()
        #expect(missing == [], "keys used but not in the catalogue")
    }

    /// Every one-line help text `fieldsync-server` passes to `helpText` has its Vietnamese.
    @Test func everyHelpTextHasItsVietnamese() throws {
        var missing: [String] = [], count = 0
        let files = FileManager.default.enumerator(at: Self.sources.appendingPathComponent("FieldSyncServer"), includingPropertiesForKeys: nil)
        while let file = files?.nextObject() as? URL {
            let text = try String(contentsOf: file, encoding: .utf8)
            for match in text.matches(of: try Regex(#"helpText\("((?:[^"\\]|\\.)*)"\)"#)) {
                guard let literal = match.output[1].substring else { continue }
                count += 1
                let english = literal.replacingOccurrences(of: "\\\"", with: "\"")
                if Catalogue.helpVietnamese[english] == nil { missing.append(english) }
            }
        }
        #expect(count > 30 && missing == [], "\(count) help texts; without Vietnamese: \(missing)")
    }

    /// English texts carry no Vietnamese letters; Vietnamese texts are not English copies (names such as
    /// VNeID, OTP, CCCD, Mobile Money aside).
    @Test func eachLanguageReadsAsItself() {
        let vietnameseLetters = Set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĂÂĐÊÔƠƯ")
        // The language switch names the other language in itself; a help text shows what a search finds.
        let kept: Set<String> = ["other_lang_name", "lang", "other_lang", "help.list.discussion"]
        for (key, text) in Catalogue.english where !kept.contains(key) {
            #expect(!text.contains { vietnameseLetters.contains($0) }, "English \(key): \(text)")
        }
        let same = Catalogue.vietnamese.filter { key, text in
            !kept.contains(key) && Catalogue.english[key] == text && text.contains { $0.isLetter } && text.count > 4
                && !Self.names.contains(text)
        }.keys.sorted()
        #expect(same == [], "Vietnamese keys that are the English text")
    }

    static let names: Set<String> = ["Mobile Money", "FieldSync", "CCCD", "%1 — %2, %3", "%1 (%2)", "VNeID", "dd/mm/yyyy"]

    @Test func numbersAndTimesAsPeopleWriteThem() {
        let vi = Catalogue(.vietnamese), en = Catalogue(.english)
        #expect(vi.number(1_234_567) == "1.234.567" && en.number(1_234_567) == "1,234,567" && vi.number(-12) == "-12")
        #expect(vi.percent(45.64) == "45,6 %" && en.percent(45.64) == "45.6%")
        #expect(vi.time("2026-12-07T17:30:00Z") == "08/12/2026 00:30", "Vietnam time, whatever the machine's zone")
        #expect(vi.time(nil) == "—" && vi.day("2026-12-07") == "07/12/2026")
        #expect(vi.value(.bool(true), of: "deleted") == "có" && en.value(.bool(false), of: "deleted") == "no")
        #expect(vi.value(.text("failed"), of: "outcome") == "Không thành công")
        #expect(vi.value(.text("citizen-declined"), of: "reason") == "Người dân từ chối")
        #expect(vi.value(.null, of: "phone") == "không có")
        #expect(vi.value(.object(["at": .text("2026-12-07T01:00:00Z"), "by": .text("Lan"), "policy": .text("v1")]), of: "consent")
                    == "đồng ý lúc 07/12/2026 08:00, người hỏi: Lan, theo thông báo v1")
        #expect(vi.value(.text("2026-12-08T00:00:00Z"), of: "visitedAt") == "08/12/2026 07:00")
    }

    @Test func theLanguageComesFromTheOptionThenTheEnvironment() throws {
        #expect(try Language.chosen(nil, environment: [:]) == .vietnamese, "the machine's locale is not consulted")
        #expect(try Language.chosen(nil, environment: ["FIELDSYNC_LANG": "en", "LANG": "vi_VN.UTF-8"]) == .english)
        #expect(try Language.chosen("vi", environment: ["FIELDSYNC_LANG": "en"]) == .vietnamese)
        #expect(try Language.chosen(nil, environment: ["LANG": "en_US.UTF-8"]) == .vietnamese)
        #expect(throws: LanguageError.self) { try Language.chosen("fr", environment: [:]) }
    }
}
