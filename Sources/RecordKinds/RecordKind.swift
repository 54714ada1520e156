import Foundation

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

    /// The field of a name.
    public func field(_ name: String) -> KindField? { fields.first { $0.name == name } }

    /// What makes this document unusable beyond its JSON Schema (empty: nothing).
    public var problems: [String] {
        var problems: [String] = []
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
    public var labels: KindLabels

    /// An option from its parts.
    public init(code: String, retired: Bool? = nil, labels: KindLabels) {
        self.code = code
        self.retired = retired
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
