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
        let value: FieldValue
        switch VisitField(rawValue: field) {
        case .name: value = .text(Visit.erasedName)
        case .phone: value = .null
        case .note: value = .text("")
        case .cccd: value = register.value.object.map { .object(["masked": .text(Visit.erasedMask), "hash": $0["hash"] ?? .null]) } ?? .null
        default: return register
        }
        return Register(value: value, stamp: register.stamp, seq: register.seq)
    }
}
