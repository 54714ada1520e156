import SyncCore

extension Conflict {
    /// The entry with the citizen's values blanked as an erased visit shows them (same id: it names
    /// the writes, not their values).
    public func erasingPersonal() -> Conflict {
        let blanked = fields.map { field in
            Conflict.FieldDifference(field: field.field, stored: field.stored.map { Self.erase($0, field.field) },
                                     incoming: field.incoming.map { Self.erase($0, field.field) }, winner: field.winner)
        }
        return Conflict(id: id, kind: kind, record: record, fields: blanked, storedVersion: storedVersion,
                        incomingVersion: incomingVersion, detectedBy: detectedBy)
    }

    static func erase(_ register: Register, _ field: String) -> Register {
        Register(value: erase(register.value, field), stamp: register.stamp, seq: register.seq)
    }

    /// A field's value as an erased visit shows it (other fields' values unchanged): for a
    /// coordinator's resolution values too.
    public static func erase(_ value: FieldValue, _ field: String) -> FieldValue {
        switch VisitField(rawValue: field) {
        case .name: .text(Visit.erasedName)
        case .phone: .null
        case .note: .text("")
        case .cccd: value.object.map { .object(["masked": .text(Visit.erasedMask), "hash": $0["hash"] ?? .null]) } ?? .null
        default: value
        }
    }
}
