import Foundation
import SyncCore

/// The replicated fields of a visit, in the fixed order stores use for their sync metadata.
public enum VisitField: String, CaseIterable, Sendable {
    case service, outcome, commune, name, cccd, phone, reason, note, visitedAt, volunteer, team, consent, deleted

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
        }
    }

    /// The fields in the order of their names (the order a `RecordState` keeps its registers in).
    public static let byName: [VisitField] = allCases.sorted { $0.rawValue < $1.rawValue }
    static let names: [String] = byName.map(\.rawValue)

    /// Each register of a state at its schema position (nil where missing), or the name of a register
    /// the visit schema does not have.
    static func positions(of state: RecordState) -> Result<[FieldValue?], InputError> {
        var values = [FieldValue?](repeating: nil, count: allCases.count)
        var next = 0
        for field in state.fields {
            // Registers come sorted by name, so a full state walks `names` in step.
            while next < names.count, names[next] < field.name { next += 1 }
            guard next < names.count, names[next] == field.name else { return .failure(.unknownField(field.name)) }
            values[byName[next].index] = field.register.value
            next += 1
        }
        return .success(values)
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
        ]
    }

    /// The value of every replicated field, as registers carry them.
    public var fieldValues: [VisitField: FieldValue] {
        Dictionary(uniqueKeysWithValues: zip(VisitField.allCases, fieldValueList))
    }

    /// Rebuilds and validates a visit from register values (as received from another replica).
    /// - Throws: `InputError` naming the first field that is missing or invalid.
    public init(id: String, values: [VisitField: FieldValue], catalogue: CommuneCatalogue = .shared) throws(InputError) {
        try self.init(id: id, positions: VisitField.allCases.map { values[$0] }, catalogue: catalogue)
    }

    /// Rebuilds and validates a visit from register values at their schema positions.
    init(id: String, positions values: [FieldValue?], catalogue: CommuneCatalogue) throws(InputError) {
        func text(_ field: VisitField) -> String? { values[field.index]?.text }
        func required(_ field: VisitField) throws(InputError) -> String {
            guard let value = text(field) else { throw .emptyText(field: field.rawValue) }
            return value
        }
        guard Visit.isWellFormedID(id), id == id.lowercased() else { throw .visitIDMalformed(given: id) }
        let service = try Service(code: try required(.service))
        let outcome = try Outcome(code: try required(.outcome))
        let commune = try catalogue.validate(try required(.commune)).code
        let name = try VietnameseText.checked(try required(.name), field: "citizen name", limit: Visit.nameLimit)
        var citizenID: ProtectedCitizenID?
        if let object = values[VisitField.cccd.index]?.object {
            guard let masked = object["masked"]?.text, ProtectedCitizenID.isMaskedForm(masked) else {
                throw .citizenIDNotDigits(given: "(masked)")
            }
            let hash = object["hash"]?.text
            if let hash, hash.utf8.count != 64 || !hash.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) {
                throw .citizenIDNotDigits(given: "(keyed hash)")
            }
            citizenID = ProtectedCitizenID(masked: masked, keyedHash: hash)
        }
        let phone = try text(.phone).map { p throws(InputError) in
            let number = try PhoneNumber(validating: p).digits
            guard number == p else { throw InputError.phoneMalformed(given: p) }
            return number
        }
        let reason = try text(.reason).map { r throws(InputError) in try FailureReason(code: r) }
        let note = try VietnameseText.checked(text(.note) ?? "", field: "note", limit: Visit.noteLimit,
                                              allowEmpty: true, allowNewlines: true)
        let visitedAtText = try required(.visitedAt)
        guard let visitedAt = ISODate.parseCanonical(visitedAtText) else { throw .dateMalformed(given: visitedAtText) }
        let volunteer = try VietnameseText.checked(try required(.volunteer), field: "volunteer name", limit: Visit.nameLimit)
        let team = try TeamCode.validate(try required(.team))
        var consent: Consent?
        if let object = values[VisitField.consent.index]?.object {
            guard let atText = object["at"]?.text, let at = ISODate.parseCanonical(atText) else {
                throw .dateMalformed(given: object["at"]?.text ?? "(missing consent date)")
            }
            consent = Consent(at: at, by: object["by"]?.text ?? volunteer, policy: object["policy"]?.text ?? "")
        }
        self.init(id: id, service: service, outcome: outcome, commune: commune, citizenName: name,
                  citizenID: citizenID, phone: phone, reason: reason, note: note, visitedAt: visitedAt,
                  volunteer: volunteer, team: team, consent: consent, deleted: values[VisitField.deleted.index]?.bool ?? false)
    }
}

extension Visit {
    /// The replicated state of this visit, given each field's stamp (schema order) and its vector.
    public func recordState(stamps: [Stamp?], version: VersionVector) -> RecordState {
        let values = fieldValueList
        var fields: [RecordState.Field] = []
        fields.reserveCapacity(values.count)
        for field in VisitField.byName {
            if let stamp = stamps[field.index] {
                fields.append(RecordState.Field(name: field.rawValue, register: Register(value: values[field.index], stamp: stamp)))
            }
        }
        return RecordState(id: id, sortedFields: fields, version: version)
    }

    /// Reads and validates a visit from a replicated state (as a hub receives it).
    /// - Throws: `InputError` for a missing or invalid field, or a field the visit schema does not have.
    public init(state: RecordState, catalogue: CommuneCatalogue = .shared) throws(InputError) {
        try self.init(id: state.id, positions: try VisitField.positions(of: state).get(), catalogue: catalogue)
    }
}

extension VisitField {
    /// Each field's stamp in a state, in schema order (nil where the state has no register).
    public static func stamps(of state: RecordState) -> [Stamp?] {
        var stamps = [Stamp?](repeating: nil, count: allCases.count)
        var next = 0
        for field in state.fields {
            while next < names.count, names[next] < field.name { next += 1 }
            if next < names.count, names[next] == field.name { stamps[byName[next].index] = field.register.stamp }
        }
        return stamps
    }
}
