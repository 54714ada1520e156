import FieldModel
import Foundation
import Localization
import RecordKinds
import Testing

/// The kind documents of Protocol/kinds: valid, the visit's the same as the code's visit, and the evolution vectors
/// accepted or refused as Protocol/vectors/kind-evolution.json says (Tools/check-protocol.py checks them in Python too).
struct RecordKindTests {
    static let protocolFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Protocol")

    static func kind(_ name: String) throws -> RecordKind {
        try RecordKind(json: try Data(contentsOf: protocolFolder.appendingPathComponent("kinds/\(name).json")))
    }

    /// The visit as a document is the visit the code knows: fields in schema order, merge groups, options, labels.
    @Test func theVisitDocumentDescribesTheVisit() throws {
        let visit = try Self.kind("visit")
        // The typed fields in schema order, then those added for households and follow-ups (kept beside the columns).
        #expect(visit.fields.map(\.name) == VisitField.allCases.sorted { $0.index < $1.index }.map(\.rawValue)
                + ["household", "followUpOn", "followUpClosed"] + Review.fields)
        #expect(visit.field("reason")?.options?.compactMap { option in option.followUpDays.map { "\(option.code) \($0)" } }
                == ["otp-not-received 3", "application-pending 14", "referred-to-police 7"])
        #expect(visit.groups == VisitField.groupNames)
        #expect(visit.field("service")?.options?.map(\.code) == Service.allCases.map(\.rawValue))
        #expect(visit.field("outcome")?.options?.map(\.code) == Outcome.allCases.map(\.rawValue))
        #expect(visit.field("reason")?.options?.map(\.code) == FailureReason.allCases.map(\.rawValue))
        #expect(visit.field("name")?.maxLength == Visit.nameLimit && visit.field("note")?.maxLength == Visit.noteLimit)
        let vi = Catalogue(.vietnamese), en = Catalogue(.english)
        for field in visit.fields {
            #expect(field.labels == KindLabels(vi: vi.field(field.name), en: en.field(field.name)), "\(field.name)")
            for option in field.options ?? [] {
                let label: (Catalogue) -> String = { t in
                    switch field.name {
                    case "service": t.service(option.code)
                    case "outcome": t.outcome(option.code)
                    case "review": t.review(option.code)
                    default: t.reason(option.code)
                    }
                }
                #expect(option.labels == KindLabels(vi: label(vi), en: label(en)), "\(field.name).\(option.code)")
            }
        }
        #expect(Set(visit.fields.filter { $0.personal == true }.map(\.name)) == ["name", "cccd", "phone", "note"])
    }

    @Test func theTrainingSessionIsAKind() throws {
        let session = try Self.kind("session")
        #expect(session.kind == "session" && session.field("topic")?.options?.count == 8)
        #expect(session.rules.contains { $0.field == "women" && $0.notAbove == "attendees" })
        #expect(session.fields.allSatisfy { $0.personal != true }, "a session holds no citizen's data")
    }

    @Test func aDocumentThatDoesNotHoldIsRefusedWithEveryProblem() throws {
        var visit = try Self.kind("visit")
        visit.groups.append(["note", "village"])
        visit.rules.append(KindRule(require: nil, forbid: "note", when: .init(field: "outcome", in: ["maybe"])))
        let data = try JSONEncoder().encode(visit)
        #expect(throws: KindError.self) { try RecordKind(json: data) }
        #expect(visit.problems.count == 2, "\(visit.problems)")
        #expect(throws: KindError.self) { try RecordKind(json: Data("{\"kind\": 3}".utf8)) }
        // What the JSON Schema says of names, codes, versions and labels holds here too.
        var named = try Self.kind("session")
        named.kind = "Training Session"
        named.version = 0
        named.fields[0].name = "held at"
        named.fields[3].options?[0].code = "-vneid"
        named.fields[1].labels.vi = ""
        #expect(named.problems.count == 5, "\(named.problems)")
        #expect(try Self.kind("visit").problems.isEmpty && Self.kind("session").problems.isEmpty)
    }

    struct Vectors: Decodable {
        struct Case: Decodable {
            let description: String
            let from: String
            let ops: [[String: JSONValue]]
            let expect: [String: JSONValue]
        }
        let cases: [Case]
    }

    @Test func evolutionVectors() throws {
        let data = try Data(contentsOf: Self.protocolFolder.appendingPathComponent("vectors/kind-evolution.json"))
        let vectors = try JSONDecoder().decode(Vectors.self, from: data)
        #expect(vectors.cases.count >= 15)
        for vector in vectors.cases {
            var published = try Self.kind(vector.from)
            var current = try Self.operate(published, version: published.version + 1)
            for op in vector.ops {
                if op["op"]?.string == "publish" {
                    try KindEvolution.check(current, after: published)
                    published = current
                    current = try Self.operate(current, version: current.version + 1)
                } else {
                    current = try Self.apply(op, to: current)
                }
            }
            var refusal: String?
            do {
                try KindEvolution.check(current, after: published)
            } catch .incompatible(let reason, _) {
                refusal = reason.rawValue
            } catch {
                refusal = "invalid"
            }
            #expect(refusal == vector.expect["refused"]?.string, "\(vector.description): \(refusal ?? "accepted")")
        }
    }

    static func operate(_ kind: RecordKind, version: Int) throws -> RecordKind {
        var next = kind
        next.version = version
        return next
    }

    /// One operation of a vector, as Tools/check-protocol.py applies it.
    static func apply(_ op: [String: JSONValue], to kind: RecordKind) throws -> RecordKind {
        var k = kind
        func index(_ name: String?) throws -> Int { try #require(k.fields.firstIndex { $0.name == name }) }
        func decoded<T: Decodable>(_ value: JSONValue?) throws -> T { try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value)) }
        switch op["op"]?.string {
        case "addField": k.fields.append(try decoded(op["field"]))
        case "retireField": k.fields[try index(op["name"]?.string)].retired = true
        case "unretireField": k.fields[try index(op["name"]?.string)].retired = nil
        case "removeField": k.fields.remove(at: try index(op["name"]?.string))
        case "renameField": k.fields[try index(op["name"]?.string)].name = op["to"]?.string ?? ""
        case "swapFields": k.fields.swapAt(try index(op["a"]?.string), try index(op["b"]?.string))
        case "setType": k.fields[try index(op["name"]?.string)].type = try decoded(op["type"])
        case "setRequired": k.fields[try index(op["name"]?.string)].required = true
        case "setLabels": k.fields[try index(op["field"]?.string)].labels = try decoded(op["labels"])
        case "addOption": k.fields[try index(op["field"]?.string)].options?.append(try decoded(op["option"]))
        case "retireOption":
            let f = try index(op["field"]?.string)
            let o = try #require(k.fields[f].options?.firstIndex { $0.code == op["code"]?.string })
            k.fields[f].options?[o].retired = true
        case "removeOption": k.fields[try index(op["field"]?.string)].options?.removeAll { $0.code == op["code"]?.string }
        case "addRule": k.rules.append(try decoded(op["rule"]))
        case "removeRule": k.rules.remove(at: try decoded(op["index"]) as Int)
        case "setGroups": k.groups = try decoded(op["groups"])
        case "setVersion": k.version = try decoded(op["version"])
        case "setKind": k.kind = op["kind"]?.string ?? ""
        default: Issue.record("unknown operation \(op)")
        }
        return k
    }
}

/// Any JSON value, for reading vectors.
enum JSONValue: Codable, Equatable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    var string: String? { if case .string(let s) = self { s } else { nil } }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONValue].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): if n == n.rounded() && abs(n) < 1e15 { try c.encode(Int(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

/// The kinds the programs are built with are the documents of Protocol/kinds.
struct BuiltInKindTests {
    @Test(arguments: RecordKind.builtInNames)
    func theBuiltInKindIsTheProtocolsDocument(name: String) throws {
        #expect(try RecordKind.builtIn(name) == RecordKindTests.kind(name))
        #expect(throws: KindError.self) { try RecordKind.builtIn("meeting") }
    }
}
