import Crypto
import FieldModel
import Foundation
import SyncCore
import SyncProtocol
import TextSafety

// Resolving conflict entries, written once for every storage engine.
extension Hub {
    /// The resolution of an entry about a compacted visit (§7.2): only `keep`, which writes nothing.
    package static func resolutionOfCompacted(_ conflict: Conflict, choice: ConflictChoice, by resolver: String, device: String?,
                                              now: Date) throws -> ConflictResolution {
        guard choice == .keep else {
            throw HubError.invalidRequest("visit \(conflict.record) was deleted and then removed for good (compacted): "
                                          + "only keep resolves this entry; the edit stays in it")
        }
        return ConflictResolution(choice: choice.name, values: nil, by: resolver, device: device, at: ISODate.format(now), hubSeq: nil)
    }

    /// Refuses to resolve an entry until the hub's state of the visit follows both of its sides.
    package static func checkBothSides(of conflict: Conflict, id: String, current: RecordState) throws {
        for side in [conflict.storedVersion, conflict.incomingVersion] {
            let order = current.version.compare(side)
            guard order == .equal || order == .newer else {
                throw HubError.unavailable("the hub does not hold both sides of conflict \(id) yet (the laptop that found "
                                           + "it has not sent the merged visit): retry after its next sync")
            }
        }
    }

    /// The values a choice writes, widened to whole bound groups (members not chosen keep their value).
    package static func changes(for choice: ConflictChoice, of conflict: Conflict, current: RecordState,
                        catalogue: CommuneCatalogue) throws -> [String: FieldValue] {
        let deleted = RecordState.deletedField
        var changes: [String: FieldValue] = [:]
        switch (choice, conflict.kind) {
        case (.keep, _):
            return [:]
        case (.take, .conflict):
            for difference in conflict.fields { changes[difference.field] = difference.lost?.value ?? .null }
        case (.take, .editVsDelete):
            let storedDeleted = conflict.fields.first { $0.field == deleted }?.stored?.value.bool == true
            for difference in conflict.fields where difference.field != deleted {
                changes[difference.field] = (storedDeleted ? difference.incoming : difference.stored)?.value ?? .null
            }
            changes[deleted] = .bool(false)
        case (.set, .editVsDelete):
            throw HubError.invalidRequest("an edit-vs-delete entry is resolved with keep (the visit stays deleted) "
                                          + "or take (the visit is restored with the edit)")
        case (.set(let values), .conflict):
            let listed = conflict.fields.map(\.field)
            guard !values.isEmpty else { throw HubError.invalidRequest("set needs at least one field=value") }
            for (name, value) in values {
                guard listed.contains(name), let field = VisitField(rawValue: name) else {
                    throw HubError.invalidRequest("\(SafeText.quote(name)) is not a field of this conflict: set one of "
                                                  + listed.joined(separator: ", "))
                }
                do {
                    try field.check(value, catalogue: catalogue)
                } catch {
                    throw HubError.invalidRequest("\(name): \(error)")
                }
                changes[name] = value
            }
        }
        // A write to a bound group stamps the whole group (§5).
        for name in Array(changes.keys) {
            for member in VisitField(rawValue: name)?.group ?? [] where changes[member.rawValue] == nil {
                changes[member.rawValue] = current[member.rawValue]?.value ?? .null
            }
        }
        return changes
    }

    /// A value typed by a coordinator for a field a conflict can be resolved with (`set`): codes for
    /// service, outcome and reason, text for name and note, a mobile number for phone; empty clears
    /// reason, phone and note.
    public static func typedValue(_ text: String, for name: String) throws -> FieldValue {
        let text = text.precomposedStringWithCanonicalMapping.trimmingCharacters(in: .whitespaces)
        guard let field = VisitField(rawValue: name) else {
            throw HubError.invalidRequest("visits have no field \(SafeText.quote(name))")
        }
        do {
            switch field {
            case .service, .outcome, .name:
                return .text(text)
            case .reason, .note:
                return text.isEmpty ? (field == .note ? .text("") : .null) : .text(text)
            case .phone:
                return text.isEmpty ? .null : .text(try PhoneNumber(validating: text).digits)
            default:
                throw HubError.invalidRequest("\(name) cannot be typed at the hub: resolve with keep or take")
            }
        } catch let error as InputError {
            throw HubError.invalidRequest("\(name): \(error)")
        }
    }
}
