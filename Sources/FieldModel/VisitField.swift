#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RecordKinds
import SyncCore

/// The replicated fields of a visit, in the fixed order stores use for their sync metadata.
public enum VisitField: String, CaseIterable, Sendable {
    case service, outcome, commune, name, cccd, phone, reason, note, visitedAt, volunteer, team, consent, deleted, erased

    /// Position in the schema order.
    public var index: Int {
        switch self {
        case .service: 0
        case .outcome: 1
        case .commune: 2
        case .name: 3
        case .cccd: 4
        case .phone: 5
        case .reason: 6
        case .note: 7
        case .visitedAt: 8
        case .volunteer: 9
        case .team: 10
        case .consent: 11
        case .deleted: 12
        case .erased: 13
        }
    }

    /// Fields added after stores began keeping metadata (`erased`): metadata written before may lack them.
    public static let addedLater = 1

    /// The fields in the order of their names (the order a `RecordState` keeps its registers in).
    public static let byName: [VisitField] = allCases.sorted { $0.rawValue < $1.rawValue }

    /// Fields bound by a validation rule, written and merged as one unit (Protocol/README.md §5):
    /// every write to a member stamps every member, so the merge takes a whole group from one write.
    public static let groups: [[VisitField]] = [[.outcome, .reason], [.cccd, .consent, .phone]]

    /// `groups` by field name, as `Merge.receive` takes them.
    public static let groupNames: [[String]] = groups.map { $0.map(\.rawValue) } + [Review.fields]

    /// The fields written with `field`: its group, or itself alone.
    public var group: [VisitField] { Self.groups.first { $0.contains(self) } ?? [self] }
    static let names: [String] = byName.map(\.rawValue)

    /// Each register of a state at its schema position (nil where missing), and the registers of fields the
    /// built-in visit does not have (a published version's, §12), by name.
    static func positions(of state: RecordState) -> (values: [FieldValue?], extras: [RecordState.Field]) {
        var values = [FieldValue?](repeating: nil, count: allCases.count)
        var extras: [RecordState.Field] = []
        var next = 0
        for field in state.fields {
            // Registers come sorted by name, so a full state walks `names` in step.
            while next < names.count, names[next] < field.name { next += 1 }
            if next < names.count, names[next] == field.name {
                values[byName[next].index] = field.register.value
                next += 1
            } else {
                extras.append(field)
            }
        }
        return (values, extras)
    }

    /// The registers of a state that are not the built-in visit's (a published version's fields).
    public static func extras(of state: RecordState) -> [RecordState.Field] {
        // Registers come sorted by name: one walk beside `names`, no lookup per register (the hub's per-row path).
        var extras: [RecordState.Field] = []
        var next = 0
        for field in state.fields {
            while next < names.count, names[next] < field.name { next += 1 }
            if next < names.count, names[next] == field.name { next += 1 } else { extras.append(field) }
        }
        return extras
    }
}

extension Visit {
    /// The value of every replicated field, in schema order (`VisitField.index`).
    public var fieldValueList: [FieldValue] {
        let visited = ISODate.format(visitedAt)
        return [
            .text(service.rawValue),
            .text(outcome.rawValue),
            .text(commune),
            .text(citizenName),
            citizenID.map { id in .object(["masked": .text(id.masked), "hash": .text(id.keyedHash)]) } ?? .null,
            .text(phone),
            .text(reason?.rawValue),
            .text(note),
            .text(visited),
            .text(volunteer),
            .text(team),
            consent.map { c in
                .object(["at": .text(c.at == visitedAt ? visited : ISODate.format(c.at)), "by": .text(c.by), "policy": .text(c.policy)])
            } ?? .null,
            .bool(deleted),
            .bool(erased),
        ]
    }

    /// The value of every replicated field, as registers carry them; `erased` only once erased (its
    /// register exists only then: present means erased).
    public var fieldValues: [VisitField: FieldValue] {
        Dictionary(uniqueKeysWithValues: zip(VisitField.allCases, fieldValueList).filter { $0.0 != .erased || erased })
    }

    /// Rebuilds and validates a visit from register values (as received from another replica).
    /// - Throws: `InputError` naming the first field that is missing or invalid.
    public init(id: String, values: [VisitField: FieldValue], catalogue: CommuneCatalogue = .shared) throws(InputError) {
        try self.init(id: id, positions: VisitField.allCases.map { values[$0] }, catalogue: catalogue)
    }

    /// Rebuilds and validates a visit from register values at their schema positions (`VisitField.allCases` order).
    public init(id: String, positions values: [FieldValue?], catalogue: CommuneCatalogue) throws(InputError) {
        func required(_ field: VisitField) throws(InputError) -> String {
            guard let value = values[field.index]?.text else { throw .emptyText(field: field.rawValue) }
            return value
        }
        guard Visit.isWellFormedID(id), id == id.lowercased() else { throw .visitIDMalformed(given: id) }
        let volunteer = try VisitField.checkedName(try required(.volunteer), field: "volunteer name")
        // Present at all means erased: the register is only ever written true, and never disappears in a join.
        // An erased visit's personal fields are blank whatever their registers hold, so they are not read.
        let erased = values[VisitField.erased.index] != nil
        guard values[VisitField.erased.index].map({ $0 == .bool(true) }) ?? true else {
            throw .unknownField("erased (only true: an erasure is not undone)")
        }
        if let deleted = values[VisitField.deleted.index], deleted != .null, deleted.bool == nil {
            throw .unknownField("deleted (not a boolean)")
        }
        let code = try required(.service)
        guard let service = Service(rawValue: code) else { throw .unknownService(code) }
        self.init(id: id, service: service, outcome: try Outcome(code: try required(.outcome)),
                  commune: try catalogue.validate(try required(.commune)).code,
                  citizenName: erased ? Visit.erasedName : try VisitField.checkedName(try required(.name), field: "citizen name"),
                  citizenID: try VisitField.citizenID(values[VisitField.cccd.index]),
                  phone: erased ? nil : try VisitField.phone(values[VisitField.phone.index]),
                  reason: try values[VisitField.reason.index]?.text.map { r throws(InputError) in try FailureReason(code: r) },
                  note: erased ? "" : try VisitField.note(values[VisitField.note.index]),
                  visitedAt: try VisitField.date(try required(.visitedAt)),
                  volunteer: volunteer, team: try TeamCode.validate(try required(.team)),
                  consent: try VisitField.consent(values[VisitField.consent.index], by: volunteer),
                  deleted: values[VisitField.deleted.index]?.bool ?? false, erased: erased)
    }
}

extension VisitField {
    /// Checks one register value as it may arrive from another replica (in a state or a conflict
    /// entry), by the same rules a whole visit is read with.
    /// - Throws: `InputError` naming what is wrong.
    public func check(_ value: FieldValue, catalogue: CommuneCatalogue = .shared) throws(InputError) {
        func text() throws(InputError) -> String {
            guard let text = value.text else { throw .emptyText(field: rawValue) }
            return text
        }
        switch self {
        case .service: guard Service(rawValue: try text()) != nil else { throw .unknownService(try text()) }
        case .outcome: _ = try Outcome(code: try text())
        case .commune: _ = try catalogue.validate(try text())
        case .name: _ = try Self.checkedName(try text(), field: "citizen name")
        case .volunteer: _ = try Self.checkedName(try text(), field: "volunteer name")
        case .cccd: _ = try Self.citizenID(value)
        case .phone: _ = try Self.phone(value)
        case .reason: if value != .null { _ = try FailureReason(code: try text()) }
        case .note: _ = try Self.note(value)
        case .visitedAt: _ = try Self.date(try text())
        case .team: _ = try TeamCode.validate(try text())
        case .consent: _ = try Self.consent(value, by: "")
        case .deleted: guard value.bool != nil else { throw .unknownField("deleted (not a boolean)") }
        case .erased: guard value.bool == true else { throw .unknownField("erased (only true: an erasure is not undone)") }
        }
    }

    static func checkedName(_ text: String, field: String) throws(InputError) -> String {
        let name = try VietnameseText.checked(text, field: field, limit: Visit.nameLimit)
        guard name != Visit.erasedName else { throw .reservedName(field: field, name: name) }
        return name
    }

    static func note(_ value: FieldValue?) throws(InputError) -> String {
        try VietnameseText.checked(value?.text ?? "", field: "note", limit: Visit.noteLimit, allowEmpty: true, allowNewlines: true)
    }

    static func date(_ text: String) throws(InputError) -> Date {
        guard let date = ISODate.parseCanonical(text) else { throw .dateMalformed(given: text) }
        return date
    }

    static func citizenID(_ value: FieldValue?) throws(InputError) -> ProtectedCitizenID? {
        guard let object = value?.object else { return nil }
        guard let masked = object["masked"]?.text, ProtectedCitizenID.isMaskedForm(masked) else {
            throw .citizenIDNotDigits(given: "(masked)")
        }
        let hash = object["hash"]?.text
        if let hash, !ProtectedCitizenID.isMatchForm(hash) {
            throw .citizenIDNotDigits(given: "(pseudonym)")
        }
        return ProtectedCitizenID(masked: masked, keyedHash: hash)
    }

    static func phone(_ value: FieldValue?) throws(InputError) -> String? {
        guard let text = value?.text else { return nil }
        let number = try PhoneNumber(validating: text).digits
        guard number == text else { throw InputError.phoneMalformed(given: text) }
        return number
    }

    /// A consent object; `by` names the volunteer when the object does not.
    static func consent(_ value: FieldValue?, by volunteer: String) throws(InputError) -> Consent? {
        guard let object = value?.object else { return nil }
        guard let atText = object["at"]?.text, let at = ISODate.parseCanonical(atText) else {
            throw .dateMalformed(given: object["at"]?.text ?? "(missing consent date)")
        }
        let by = try object["by"]?.text.map { t throws(InputError) in try checkedName(t, field: "consent's volunteer name") }
        let policy = try VietnameseText.checked(object["policy"]?.text ?? "", field: "consent policy", limit: 64, allowEmpty: true)
        return Consent(at: at, by: by ?? volunteer, policy: policy)
    }
}

extension Visit {
    /// The replicated state of this visit, given the write behind each field (schema order) and its vector.
    public func recordState(writes: [WriteID?], version: VersionVector, extras: [RecordState.Field] = []) -> RecordState {
        let values = fieldValueList
        var fields: [RecordState.Field] = []
        fields.reserveCapacity(values.count + extras.count)
        for field in VisitField.byName {
            if let write = writes[field.index] {
                let register = Register(value: values[field.index], stamp: write.stamp, seq: write.seq)
                fields.append(RecordState.Field(name: field.rawValue, register: register))
            }
        }
        guard !extras.isEmpty else { return RecordState(id: id, sortedFields: fields, version: version) }
        return RecordState(id: id, registers: Dictionary((fields + extras).map { ($0.name, $0.register) }, uniquingKeysWith: { first, _ in first }),
                           version: version)
    }

    /// Reads and validates a visit from a replicated state (as a hub receives it).
    /// - Throws: `InputError` for a missing or invalid field, or a field the visit schema does not have.
    public init(state: RecordState, catalogue: CommuneCatalogue = .shared) throws(InputError) {
        let (values, extras) = VisitField.positions(of: state)
        try self.init(id: state.id, positions: values, catalogue: catalogue)
        extra = Dictionary(uniqueKeysWithValues: extras.map { ($0.name, $0.register.value) })
    }

    /// The one validation of a visit's state, wherever it comes from (the laptop's own writes, the hub's merge
    /// on both engines, bundles and LAN sync): every field by its rule, then the rules that tie fields together
    /// (`validate(now:)`: a reason iff failed, consent with a CCCD or phone, dated no later than today).
    public static func validated(_ state: RecordState, catalogue: CommuneCatalogue = .shared, now: Date = Date(),
                                 kind: RecordKind? = nil) throws(InputError) -> Visit {
        let visit = try Visit(state: state, catalogue: catalogue)
        try visit.validate(now: now, kind: kind)
        return visit
    }
}

extension VisitField {
    /// The write behind each field of a state, in schema order (nil where the state has no register).
    public static func writes(of state: RecordState) -> [WriteID?] {
        var writes = [WriteID?](repeating: nil, count: allCases.count)
        var next = 0
        for field in state.fields {
            while next < names.count, names[next] < field.name { next += 1 }
            if next < names.count, names[next] == field.name { writes[byName[next].index] = field.register.write }
        }
        return writes
    }
}
