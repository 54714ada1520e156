import Foundation
import SyncCore

/// The replicated fields of a visit, in the fixed order stores use for their sync metadata.
public enum VisitField: String, CaseIterable, Sendable {
    case service, outcome, commune, name, cccd, phone, reason, note, visitedAt, volunteer, team, consent, deleted

    /// Position in the schema order.
    public var index: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}

extension Visit {
    /// The value of every replicated field, as registers carry them.
    public var fieldValues: [VisitField: FieldValue] {
        [
            .service: .text(service.rawValue),
            .outcome: .text(outcome.rawValue),
            .commune: .text(commune),
            .name: .text(citizenName),
            .cccd: citizenID.map { id in
                .object(["masked": .text(id.masked), "hash": .text(id.keyedHash)])
            } ?? .null,
            .phone: .text(phone),
            .reason: .text(reason?.rawValue),
            .note: .text(note),
            .visitedAt: .text(ISODate.format(visitedAt)),
            .volunteer: .text(volunteer),
            .team: .text(team),
            .consent: consent.map { c in
                .object(["at": .text(ISODate.format(c.at)), "by": .text(c.by), "policy": .text(c.policy)])
            } ?? .null,
            .deleted: .bool(deleted),
        ]
    }

    /// Rebuilds and validates a visit from register values (as received from another replica).
    /// - Throws: `InputError` naming the first field that is missing or invalid.
    public init(id: String, values: [VisitField: FieldValue], catalogue: CommuneCatalogue = .shared) throws(InputError) {
        func text(_ field: VisitField) -> String? { values[field]?.text }
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
        if let object = values[.cccd]?.object {
            guard let masked = object["masked"]?.text, ProtectedCitizenID.isMaskedForm(masked) else {
                throw .citizenIDNotDigits(given: "(masked)")
            }
            let hash = object["hash"]?.text
            if let hash, hash.count != 64 || !hash.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) {
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
        if let object = values[.consent]?.object {
            guard let atText = object["at"]?.text, let at = ISODate.parseCanonical(atText) else {
                throw .dateMalformed(given: object["at"]?.text ?? "(missing consent date)")
            }
            consent = Consent(at: at, by: object["by"]?.text ?? volunteer, policy: object["policy"]?.text ?? "")
        }
        self.init(id: id, service: service, outcome: outcome, commune: commune, citizenName: name,
                  citizenID: citizenID, phone: phone, reason: reason, note: note, visitedAt: visitedAt,
                  volunteer: volunteer, team: team, consent: consent, deleted: values[.deleted]?.bool ?? false)
    }
}

extension Visit {
    /// The replicated state of this visit, given each field's stamp (schema order) and its vector.
    public func recordState(stamps: [Stamp?], version: VersionVector) -> RecordState {
        let values = fieldValues
        var registers: [String: Register] = [:]
        for (field, stamp) in zip(VisitField.allCases, stamps) {
            if let stamp { registers[field.rawValue] = Register(value: values[field] ?? .null, stamp: stamp) }
        }
        return RecordState(id: id, registers: registers, version: version)
    }

    /// Reads and validates a visit from a replicated state (as a hub receives it).
    /// - Throws: `InputError` for a missing or invalid field, or a field the visit schema does not have.
    public init(state: RecordState, catalogue: CommuneCatalogue = .shared) throws(InputError) {
        var values: [VisitField: FieldValue] = [:]
        for field in state.fields {
            guard let known = VisitField(rawValue: field.name) else { throw .unknownField(field.name) }
            values[known] = field.register.value
        }
        try self.init(id: state.id, values: values, catalogue: catalogue)
    }
}

extension VisitField {
    /// Each field's stamp in a state, in schema order (nil where the state has no register).
    public static func stamps(of state: RecordState) -> [Stamp?] {
        allCases.map { state[$0.rawValue]?.stamp }
    }
}
