import FieldModel

/// What finds one citizen inside quarantined payloads (records the hub refused, and may never have stored): their
/// pseudonyms, phone numbers and names (compared folded, so "tran van binh" finds "Trần Văn Bình"), each as it
/// appears in a payload's JSON text — a payload cut at its limit still matches what it kept.
public struct QuarantineMatch: Sendable, Equatable {
    public var pseudonyms: Set<String>
    public var phones: Set<String>
    /// Folded (`VietnameseText.fold`).
    public var names: Set<String>
    /// Only payloads sent by devices of this commune (a name is one person only within a commune).
    public var commune: String?

    /// A match on these values; names are folded here.
    public init(pseudonyms: Set<String> = [], phones: Set<String> = [], names: Set<String> = [], commune: String? = nil) {
        self.pseudonyms = pseudonyms.filter { !$0.isEmpty }
        self.phones = phones.filter { !$0.isEmpty }
        self.names = Set(names.map(VietnameseText.fold).filter { !$0.isEmpty })
        self.commune = commune
    }

    /// Whether it names nobody.
    public var isEmpty: Bool { pseudonyms.isEmpty && phones.isEmpty && names.isEmpty }

    /// Whether a payload is about this citizen.
    public func matches(_ payload: String) -> Bool {
        guard !payload.isEmpty else { return false }
        if pseudonyms.contains(where: payload.contains) || phones.contains(where: payload.contains) { return true }
        guard !names.isEmpty else { return false }
        let folded = VietnameseText.fold(payload)
        return names.contains { folded.contains("\"" + $0 + "\"") }
    }
}
