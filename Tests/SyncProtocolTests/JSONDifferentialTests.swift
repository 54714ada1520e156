import FieldSyncTesting
import Foundation
import Testing
@testable import SyncProtocol

/// The hub's own JSON reader against Foundation's `JSONSerialization` on random and mutated documents:
/// both accept the same texts and read the same values, but where the protocol is deliberately stricter
/// (duplicate member names, half surrogate pairs, raw NUL bytes, nesting deeper than 32), and neither
/// crashes on anything.
@Suite struct JSONDifferentialTests {
    /// A value both readers can be compared on (booleans as numbers: Foundation boxes both alike).
    indirect enum Canon: Equatable {
        case null, number(Double), string(String), array([Canon]), object([String: Canon])

        /// Numbers agree to 15 significant digits: Foundation's reader rounds the last digit of long
        /// decimals differently from Swift's correctly rounded `Double(_:)`.
        static func == (a: Canon, b: Canon) -> Bool {
            switch (a, b) {
            case (.null, .null): true
            case (.number(let x), .number(let y)): x == y || abs(x - y) <= abs(x) * 1e-15
            case (.string(let x), .string(let y)): x == y
            case (.array(let x), .array(let y)): x.count == y.count && zip(x, y).allSatisfy { $0 == $1 }
            case (.object(let x), .object(let y)): x.count == y.count && x.allSatisfy { key, value in y[key].map { $0 == value } ?? false }
            default: false
            }
        }

        init(_ value: JSONValue) {
            switch value {
            case .null: self = .null
            case .bool(let b): self = .number(b ? 1 : 0)
            case .int(let i): self = .number(Double(i))
            case .double(let d): self = .number(d)
            case .string(let s): self = .string(s)
            case .array(let items): self = .array(items.map(Canon.init))
            case .object(let members): self = .object(Dictionary(members.map { ($0.0, Canon($0.1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }

        init?(foundation value: Any) {
            switch value {
            case is NSNull: self = .null
            case let s as String: self = .string(s)
            case let n as NSNumber: self = .number(n.doubleValue)
            case let items as [Any]:
                var out: [Canon] = []
                for item in items { guard let c = Canon(foundation: item) else { return nil }; out.append(c) }
                self = .array(out)
            case let members as [String: Any]:
                var out: [String: Canon] = [:]
                for (k, v) in members { guard let c = Canon(foundation: v) else { return nil }; out[k] = c }
                self = .object(out)
            default: return nil
            }
        }
    }

    /// Random JSON text: nested objects (unique names) and arrays, escapes, non-ASCII, numbers of every form.
    struct Generator {
        var random: SeededRandom

        mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &random)] }

        mutating func value(depth: Int) -> String {
            switch Int.random(in: 0..<(depth > 4 ? 5 : 7), using: &random) {
            case 0: return pick(["null", "true", "false"])
            case 1: return number()
            case 2, 3: return string()
            case 4: return pick(["0", "-0", "1e2", "\"\""])
            case 5:
                let count = Int.random(in: 0...4, using: &random)
                return "[" + (0..<count).map { _ in value(depth: depth + 1) }.joined(separator: pick([",", " , ", ",\n"])) + "]"
            default:
                let count = Int.random(in: 0...4, using: &random)
                let names = Set((0..<count).map { _ in string() })
                return "{" + names.map { "\($0)\(pick([":", " : "]))\(value(depth: depth + 1))" }.joined(separator: ",") + "}"
            }
        }

        mutating func number() -> String {
            let sign = pick(["", "-"])
            let int = pick(["0", "7", "42", "9007199254740993", "123456789012345678901234567890", "\(UInt64.random(in: 0...UInt64.max, using: &random))"])
            let fraction = pick(["", "", ".5", ".000001", ".25"])
            let exponent = pick(["", "", "e10", "E-3", "e+2", "e400"])
            return sign + int + fraction + exponent
        }

        mutating func string() -> String {
            let pieces = ["a", "đ", "Nguyễn", " ", "\\\"", "\\\\", "\\/", "\\n", "\\t", "\\u00e9", "\\ud83d\\ude00", "😀", "\\u0000", "\u{202E}"]
            return "\"" + (0..<Int.random(in: 0...5, using: &random)).map { _ in pick(pieces) }.joined() + "\""
        }

        /// A small random corruption: a byte dropped, changed, doubled or inserted, or the text cut.
        mutating func mutate(_ text: String) -> [UInt8] {
            var bytes = Array(text.utf8)
            guard !bytes.isEmpty else { return bytes }
            let at = Int.random(in: 0..<bytes.count, using: &random)
            let noise: [UInt8] = Array("{}[],:\"\\0123456789-+.eEtrufalsn \u{7F}".utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xFF]
            switch Int.random(in: 0..<5, using: &random) {
            case 0: bytes.remove(at: at)
            case 1: bytes[at] = pick(noise)
            case 2: bytes.insert(bytes[at], at: at)
            case 3: bytes.insert(pick(noise), at: at)
            default: bytes.removeSubrange(at...)
            }
            return bytes
        }
    }

    /// Whether the document repeats a member name in one object (the protocol refuses it; Foundation keeps one).
    static func repeatsAName(_ error: WireDecodingError) -> Bool { error.description.contains("duplicate member name") }

    @Test func ourReaderAgreesWithFoundationOnRandomAndMutatedDocuments() throws {
        var generator = Generator(random: SeededRandom(seed: 20_261_125))
        var compared = 0, accepted = 0
        for round in 0..<20_000 {
            let text = generator.value(depth: 0)
            let bytes = round % 2 == 0 ? Array(text.utf8) : generator.mutate(text)
            let ours = Result { () throws(WireDecodingError) -> JSONValue in try JSONParser.parse(bytes) }
            let theirs = Result { try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) }
            switch (ours, theirs) {
            case (.success(let value), .success(let object)):
                accepted += 1
                #expect(Canon(value) == Canon(foundation: object), "round \(round): \(String(decoding: bytes, as: UTF8.self))")
            case (.failure(let error), .success):
                // Where the protocol is stricter on purpose; anything else is a disagreement.
                #expect(Self.repeatsAName(error) || Self.lonelySurrogate(bytes) || bytes.contains(0),
                        "round \(round): we refused what Foundation read (\(error)): \(String(decoding: bytes, as: UTF8.self))")
            case (.success, .failure):
                Issue.record("round \(round): we read what Foundation refused: \(String(decoding: bytes, as: UTF8.self))")
            case (.failure, .failure):
                break
            }
            compared += 1
        }
        #expect(compared == 20_000 && accepted > 8_000, "\(accepted) of \(compared) documents were valid JSON")
    }

    /// A `\u` escape of half a surrogate pair: Foundation substitutes U+FFFD, the protocol refuses the text.
    /// (A raw NUL byte is the third known difference: Foundation stops reading there, as at a C string's end.)
    static func lonelySurrogate(_ bytes: [UInt8]) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self).lowercased()
        return text.contains("\\ud8") || text.contains("\\ud9") || text.contains("\\uda") || text.contains("\\udb")
            || text.contains("\\udc") || text.contains("\\udd") || text.contains("\\ude") || text.contains("\\udf")
    }

    @Test func duplicateNamesAndDeepNestingAreRefusedWithAReason() {
        #expect(throws: WireDecodingError.self) { try JSONParser.parse(Array(#"{"a":1,"a":2}"#.utf8)) }
        let many = "{" + (0..<40).map { "\"k\($0 % 39)\":\($0)" }.joined(separator: ",") + "}"
        #expect(throws: WireDecodingError.self) { try JSONParser.parse(Array(many.utf8)) }
        let distinct = "{" + (0..<40).map { "\"k\($0)\":\($0)" }.joined(separator: ",") + "}"
        #expect(throws: Never.self) { try JSONParser.parse(Array(distinct.utf8)) }
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: WireDecodingError.self) { try JSONParser.parse(Array(deep.utf8)) }
    }
}
