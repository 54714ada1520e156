#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A kind of record as data (Protocol/README.md §12, Protocol/schemas/kind.schema.json): its fields in a fixed,
/// append-only order, their types and rules, the groups that merge as one unit, and labels in Vietnamese and English.
public struct RecordKind: Codable, Sendable, Equatable {
    /// The kind's stable name (`visit`, `session`).
    public var kind: String
    /// Its version: each published change adds one.
    public var version: Int
    public var labels: KindLabels
    /// Schema order: a field keeps its position for ever.
    public var fields: [KindField]
    /// Fields written and merged as one unit.
    public var groups: [[String]]
    public var rules: [KindRule]

    /// Reads a kind document and checks what its JSON Schema cannot: names, groups and rules that hold.
    /// - Throws: `KindError.invalid` naming each problem.
    public init(json: Data) throws(KindError) {
        do {
            self = try JSONDecoder().decode(RecordKind.self, from: json)
        } catch {
            throw .invalid(["not a kind document: \(error)"])
        }
        let problems = self.problems
        guard problems.isEmpty else { throw .invalid(problems) }
    }

    /// Whether a name is `limit` characters at most of a–z, 0–9 and `rest`, its first in `first` (else a–z or 0–9).
    static func matches(_ name: String, first: ClosedRange<Character>?, rest extra: String, limit: Int) -> Bool {
        guard let head = name.first, name.count <= limit else { return false }
        let lower: ClosedRange<Character> = "a"..."z", digits: ClosedRange<Character> = "0"..."9"
        guard first.map({ $0.contains(head) }) ?? (lower.contains(head) || digits.contains(head)) else { return false }
        return name.allSatisfy { lower.contains($0) || digits.contains($0) || extra.contains($0) }
    }

    /// The field of a name.
    public func field(_ name: String) -> KindField? { fields.first { $0.name == name } }

    /// What makes this document unusable beyond its JSON Schema (empty: nothing).
    public var problems: [String] {
        var problems: [String] = []
        // What kind.schema.json says of names, codes, versions and labels, so a document read here holds to it too.
        if !Self.matches(kind, first: "a"..."z", rest: "a-0123456789", limit: 32) { problems.append("the kind's name is 1–32 of a–z, 0–9, -") }
        if version < 1 { problems.append("the version starts at 1") }
        if fields.isEmpty { problems.append("a kind has at least one field") }
        let labelled = [labels] + fields.flatMap { [$0.labels] + ($0.options ?? []).map(\.labels) }
        if labelled.contains(where: { $0.vi.isEmpty || $0.en.isEmpty }) { problems.append("every label has a Vietnamese and an English text") }
        for field in fields where !Self.matches(field.name, first: "a"..."z", rest: "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", limit: 32) {
            problems.append("\(field.name): a field's name is 1–32 letters and digits, starting with a–z")
        }
        for option in fields.flatMap({ $0.options ?? [] }) where !Self.matches(option.code, first: nil, rest: "-", limit: 48) {
            problems.append("\(option.code): an option's code is 1–48 of a–z, 0–9, -, not starting with -")
        }
        if fields.flatMap({ $0.options ?? [] }).contains(where: { ($0.followUpDays ?? 1) < 1 || ($0.followUpDays ?? 1) > 365 }) {
            problems.append("followUpDays is 1–365")
        }
        if groups.contains(where: { $0.count < 2 }) { problems.append("a group has two fields or more") }
        let names = fields.map(\.name)
        if Set(names).count != names.count { problems.append("two fields share a name") }
        for field in fields {
            let codes = (field.options ?? []).map(\.code)
            if Set(codes).count != codes.count { problems.append("\(field.name): two options share a code") }
            if (field.type == .code) != (field.options != nil) { problems.append("\(field.name): a code field, and only one, has options") }
        }
        let grouped = groups.flatMap { $0 }
        if Set(grouped).count != grouped.count || grouped.contains(where: { field($0) == nil }) {
            problems.append("a group names an unknown field, or a field is in two groups")
        }
        for rule in rules {
            guard rule.fieldNames.allSatisfy({ field($0) != nil }) else {
                problems.append("a rule names an unknown field: \(rule)")
                continue
            }
            if let when = rule.when, let options = when.in,
               !Set(options).isSubset(of: Set((field(when.field)?.options ?? []).map(\.code))) {
                problems.append("a rule names an unknown option: \(rule)")
            }
            if let below = rule.field, let above = rule.notAbove, field(below)?.type != .integer || field(above)?.type != .integer {
                problems.append("notAbove compares two integer fields")
            }
        }
        return problems
    }
}

/// A name in Vietnamese and English.
public struct KindLabels: Codable, Sendable, Equatable {
    public var vi: String
    public var en: String

    public init(vi: String, en: String) {
        self.vi = vi
        self.en = en
    }
}

/// A field of a kind.
public struct KindField: Codable, Sendable, Equatable {
    /// What a field holds; the validators FieldSync has become named types.
    public enum FieldType: String, Codable, Sendable {
        case text, code, datetime, integer, boolean, phone, citizenID = "citizen-id", commune, team, household, names, consent
    }

    public var name: String
    public var type: FieldType
    /// Encrypted at rest, blanked by an erasure, masked for display.
    public var personal: Bool?
    /// Folded for search without diacritics.
    public var searchable: Bool?
    public var required: Bool?
    /// Written by FieldSync itself, not typed by people.
    public var system: Bool?
    /// No longer offered for new writes; its registers still sync and merge.
    public var retired: Bool?
    public var maxLength: Int?
    public var minimum: Int?
    public var maximum: Int?
    /// The value records written before a new required field existed take.
    public var `default`: KindValue?
    public var options: [KindOption]?
    public var labels: KindLabels

    /// A field from its parts (the flags off unless given).
    public init(name: String, type: FieldType, personal: Bool? = nil, searchable: Bool? = nil, required: Bool? = nil,
                system: Bool? = nil, retired: Bool? = nil, maxLength: Int? = nil, minimum: Int? = nil, maximum: Int? = nil,
                default: KindValue? = nil, options: [KindOption]? = nil, labels: KindLabels) {
        self.name = name
        self.type = type
        self.personal = personal
        self.searchable = searchable
        self.required = required
        self.system = system
        self.retired = retired
        self.maxLength = maxLength
        self.minimum = minimum
        self.maximum = maximum
        self.default = `default`
        self.options = options
        self.labels = labels
    }
}

/// An option of a code field.
public struct KindOption: Codable, Sendable, Equatable {
    public var code: String
    public var retired: Bool?
    /// A visit with this reason comes back this many days later unless the volunteer says otherwise (issue 31).
    public var followUpDays: Int?
    public var labels: KindLabels

    /// An option from its parts.
    public init(code: String, retired: Bool? = nil, followUpDays: Int? = nil, labels: KindLabels) {
        self.code = code
        self.retired = retired
        self.followUpDays = followUpDays
        self.labels = labels
    }
}

/// A field's default value as a document writes it.
public enum KindValue: Codable, Sendable, Equatable {
    case bool(Bool), integer(Int), text(String)

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let value = try? container.decode(Bool.self) { self = .bool(value); return } // Losing the error is safe: the next type is tried.
        if let value = try? container.decode(Int.self) { self = .integer(value); return } // Losing the error is safe: as above.
        self = .text(try container.decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .text(let value): try container.encode(value)
        }
    }
}

/// A rule of a kind: `require` or `forbid` a field `when` another has a value (one of `in`), or a `field` `notAbove` another.
public struct KindRule: Codable, Sendable, Equatable, CustomStringConvertible {
    /// A condition on a field: it has a value, or one of these options.
    public struct Condition: Codable, Sendable, Equatable {
        public var field: String
        public var `in`: [String]?

        /// A condition on a field's value.
        public init(field: String, in options: [String]? = nil) {
            self.field = field
            self.in = options
        }
    }

    public var require: String?
    public var forbid: String?
    public var when: Condition?
    public var field: String?
    public var notAbove: String?

    /// A rule from its parts.
    public init(require: String? = nil, forbid: String? = nil, when: Condition? = nil, field: String? = nil, notAbove: String? = nil) {
        self.require = require
        self.forbid = forbid
        self.when = when
        self.field = field
        self.notAbove = notAbove
    }

    /// Every field the rule names.
    var fieldNames: [String] { [require, forbid, when?.field, field, notAbove].compactMap { $0 } }

    public var description: String { fieldNames.joined(separator: ", ") }
}
