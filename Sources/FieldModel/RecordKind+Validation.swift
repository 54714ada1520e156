import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

extension RecordKind {
    /// Checks a record's register values against this kind (Protocol/README.md §12), with the named validators
    /// FieldSync has for each type: every value names a field of the kind and holds a value of its type within its
    /// limits and options, every required field has a value, every rule holds. The same function wherever a record
    /// of the kind is read.
    /// - Throws: `InputError` naming the first fault.
    public func validate(_ values: [String: FieldValue], catalogue: CommuneCatalogue = .shared) throws(InputError) {
        func has(_ name: String) -> Bool { (values[name] ?? .null) != .null && values[name] != .text("") }
        for (name, value) in values.sorted(by: { $0.key < $1.key }) where value != .null {
            guard let field = field(name) else { throw .unknownField(name) }
            try Self.check(field, value, catalogue: catalogue)
        }
        for field in fields where field.required == true && !has(field.name) { throw .emptyText(field: field.name) }
        for rule in rules {
            if let when = rule.when, has(when.field), when.in.map({ $0.contains(values[when.field]?.text ?? "") }) ?? true {
                if let required = rule.require, !has(required) { throw .requiredWhen(field: required, other: when.field) }
                if let forbidden = rule.forbid, has(forbidden) { throw .forbiddenWhen(field: forbidden, other: when.field) }
            }
            if let below = rule.field, let above = rule.notAbove, let low = Self.integer(values[below]), let high = Self.integer(values[above]),
               low > high {
                throw .above(field: below, other: above)
            }
        }
    }

    static func integer(_ value: FieldValue?) -> Int? {
        if case .int(let number)? = value { return Int(number) }
        return nil
    }

    /// One value by its field's type.
    static func check(_ field: KindField, _ value: FieldValue, catalogue: CommuneCatalogue) throws(InputError) {
        let name = field.name
        func text() throws(InputError) -> String {
            guard let text = value.text else { throw .wrongType(field: name, expected: field.type.rawValue) }
            return text
        }
        switch field.type {
        case .text:
            let text = try VietnameseText.checked(try text(), field: name, limit: field.maxLength ?? Visit.noteLimit,
                                                  allowEmpty: field.required != true, allowNewlines: true)
            guard text != Visit.erasedName || field.personal != true else { throw .reservedName(field: name, name: text) }
        case .code:
            let given = try text()
            guard let options = field.options, options.contains(where: { $0.code == given }) else {
                throw .unknownOption(field: name, given: given, options: (field.options ?? []).filter { $0.retired != true }.map(\.code))
            }
        case .datetime: _ = try VisitField.date(try text())
        case .integer:
            guard let number = integer(value) else { throw .wrongType(field: name, expected: field.type.rawValue) }
            if let minimum = field.minimum, number < minimum { throw .outOfRange(field: name, given: number, minimum: field.minimum, maximum: field.maximum) }
            if let maximum = field.maximum, number > maximum { throw .outOfRange(field: name, given: number, minimum: field.minimum, maximum: field.maximum) }
        case .boolean: guard value.bool != nil else { throw .wrongType(field: name, expected: field.type.rawValue) }
        case .phone: _ = try VisitField.phone(value)
        case .citizenID:
            guard value.object != nil else { throw .wrongType(field: name, expected: field.type.rawValue) }
            _ = try VisitField.citizenID(value)
        case .commune: _ = try catalogue.validate(try text())
        case .team: _ = try TeamCode.validate(try text())
        case .household: _ = try VietnameseText.checked(try text(), field: name, limit: 64)
        case .names:
            let names = try text().split(separator: ";").map { $0.trimmingWhitespace }
            guard !names.isEmpty else { throw .emptyText(field: name) }
            for person in names { _ = try VisitField.checkedName(person, field: name) }
        case .consent:
            guard value.object != nil else { throw .wrongType(field: name, expected: field.type.rawValue) }
            _ = try VisitField.consent(value, by: "")
        }
    }
}

extension RecordKind {
    /// The value a person typed for a field of this kind (`--set name=value`), read by the field's type and checked:
    /// a boolean as có/không, yes/no, true/false or 1/0, an integer as digits, an option by its code; empty clears.
    /// - Throws: `InputError.unknownField` for a field the kind does not have (or retired), else the type's error.
    public func value(_ text: String, for name: String, catalogue: CommuneCatalogue = .shared) throws(InputError) -> FieldValue {
        guard let field = field(name), field.retired != true, field.system != true else { throw .unknownField(name) }
        let trimmed = text.trimmingWhitespace
        guard !trimmed.isEmpty else { return .null }
        let value: FieldValue
        switch field.type {
        case .boolean:
            switch VietnameseText.fold(trimmed) {
            case "co", "yes", "true", "1": value = .bool(true)
            case "khong", "no", "false", "0": value = .bool(false)
            default: throw .wrongType(field: name, expected: field.type.rawValue)
            }
        case .integer:
            guard let number = Int64(trimmed) else { throw .wrongType(field: name, expected: field.type.rawValue) }
            value = .int(number)
        case .code: value = .text(trimmed.lowercased())
        default: value = .text(trimmed)
        }
        try Self.check(field, value, catalogue: catalogue)
        return value
    }
}
