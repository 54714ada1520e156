#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SyncCore

/// The registers of fields a published version of the visit kind added, as stores keep them beside the visit's own
/// columns: one JSON object of wire registers by field name (Protocol/README.md §4, §12), nil when there are none, so
/// a visit without them keeps exactly the metadata it had.
public enum ExtraRegisters {
    /// The stored text of `extras` (nil for none).
    public static func encode(_ extras: [RecordState.Field]) throws -> String? {
        guard !extras.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(Dictionary(uniqueKeysWithValues: extras.map { ($0.name, $0.register) })), as: UTF8.self)
    }

    /// The registers a stored text holds (none for nil).
    /// - Throws: `DecodingError` for a damaged text.
    public static func decode(_ text: String?) throws -> [RecordState.Field] {
        guard let text, !text.isEmpty else { return [] }
        return try JSONDecoder().decode([String: Register].self, from: Data(text.utf8))
            .map { RecordState.Field(name: $0.key, register: $0.value) }.sorted { $0.name < $1.name }
    }
}
