#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A commune-level unit (xã, phường, đặc khu) of the catalogue in force since 1 July 2025.
public struct Commune: Hashable, Sendable {
    /// Five-digit code, zero padded.
    public let code: String
    /// Official name, NFC.
    public let name: String
    /// Two-digit code of its province.
    public let provinceCode: String
    /// Official name of its province, NFC.
    public let provinceName: String
}

/// The 34 provinces and 3,321 communes in force since 1 July 2025, and the pre-2025 codes merged into them.
///
/// Source: the public dataset "dvhcvn/20250701" (MIT licence, shipped as
/// `LICENSE-dvhcvn-20250701.txt`), from the statistics office's letters 915/CTK-CSCL and 1027/CTK-CSCL.
public struct CommuneCatalogue: Sendable {
    /// The catalogue shipped with FieldSync, loaded on first use.
    public static let shared = CommuneCatalogue(csv: CSVLines.resource("admin-units-2025"))

    /// Every commune by code.
    public let communes: [String: Commune]
    /// Province code → province name.
    public let provinces: [String: String]

    /// Parses `province_code,province_name,commune_code,commune_name` lines (with a header).
    public init(csv: [UInt8]) {
        var communes: [String: Commune] = [:]
        var provinces: [String: String] = [:]
        communes.reserveCapacity(3_400)
        CSVLines.forEachRecord(csv, fields: 4) { parts in
            let province = provinces[parts[0]] ?? parts[1]
            provinces[parts[0]] = province
            communes[parts[2]] = Commune(code: parts[2], name: parts[3], provinceCode: parts[0], provinceName: province)
        }
        self.communes = communes
        self.provinces = provinces
    }

    /// The commune with this code, if it exists.
    public func commune(_ code: String) -> Commune? { communes[code] }

    /// The communes of one province, by code.
    public func communes(inProvince province: String) -> [Commune] {
        communes.values.filter { $0.provinceCode == province }.sorted { $0.code < $1.code }
    }

    /// Validates a commune code: five digits and in force since 1 July 2025.
    /// - Throws: `InputError.communeMalformed`, `.communeReplaced` (naming the new code) or `.communeUnknown`.
    public func validate(_ text: String) throws(InputError) -> Commune {
        let code = VietnameseText.trimmed(text)
        guard code.utf8.count == 5, code.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw .communeMalformed(given: text)
        }
        if let commune = communes[code] { return commune }
        let successors = CommuneMerges.shared.successors(of: code).compactMap { communes[$0] }
        if !successors.isEmpty {
            throw .communeReplaced(code: code, successors: successors.map { "\($0.code) (\($0.name), \($0.provinceName))" })
        }
        throw .communeUnknown(code: code)
    }

    /// Communes whose name (with its province's) contains every word of `query`, diacritics-insensitive:
    /// exact names first, then by province and name.
    public func search(_ query: String, limit: Int = 20) -> [Commune] {
        let words = VietnameseText.fold(query).split(separator: " ").map(String.init)
        guard !words.isEmpty else { return [] }
        let found = communes.values.filter { commune in
            let text = VietnameseText.fold(commune.name + " " + commune.provinceName).split(separator: " ")
            return words.allSatisfy { word in text.contains { $0.hasPrefix(word) } }
        }
        let wanted = VietnameseText.fold(query)
        return found.sorted { a, b in
            let (ea, eb) = (Self.bareName(a) == wanted || VietnameseText.fold(a.name) == wanted,
                            Self.bareName(b) == wanted || VietnameseText.fold(b.name) == wanted)
            return ea != eb ? ea : (a.provinceCode, a.name) < (b.provinceCode, b.name)
        }.prefix(limit).map { $0 }
    }

    /// A commune from its code, or from its name as people type it ("Ba Đình", "phuong ba dinh",
    /// "Ba Đình Hà Nội"): the name must fit one commune only.
    /// - Throws: what `validate` throws for a code; `.communeNameAmbiguous` or `.communeNameUnknown` for a name.
    public func resolve(_ text: String) throws(InputError) -> Commune {
        let trimmed = VietnameseText.trimmed(text)
        if trimmed.allSatisfy({ $0.isASCII && $0.isNumber }) { return try validate(trimmed) }
        let wanted = VietnameseText.fold(trimmed)
        let matches = search(trimmed, limit: 200)
        let exact = matches.filter { Self.bareName($0) == wanted || VietnameseText.fold($0.name) == wanted }
        if exact.count == 1 { return exact[0] }
        if exact.isEmpty && matches.count == 1 { return matches[0] }
        let shown = (exact.isEmpty ? matches : exact).prefix(6).map { "\($0.code) \($0.name) (\($0.provinceName))" }
        if shown.isEmpty {
            let words: [Substring] = wanted.split(separator: " ")
            let longest = String(words.max { $0.count < $1.count } ?? "")
            throw .communeNameUnknown(given: text, suggestions: search(longest, limit: 3).map { "\($0.code) \($0.name) (\($0.provinceName))" })
        }
        throw .communeNameAmbiguous(given: text, matches: Array(shown))
    }

    /// A commune's folded name without its kind (xã, phường, đặc khu).
    static func bareName(_ commune: Commune) -> String {
        let folded = VietnameseText.fold(commune.name)
        for kind in ["phuong ", "xa ", "dac khu ", "thi tran "] where folded.hasPrefix(kind) { return String(folded.dropFirst(kind.count)) }
        return folded
    }

    /// Validates a two-digit province code of the 2025 catalogue.
    public func validateProvince(_ text: String) -> String? {
        provinces[text] == nil ? nil : text
    }
}

/// For each commune in force since 1 July 2025, the pre-2025 communes merged into it.
public struct CommuneMerges: Sendable {
    /// The mapping shipped with FieldSync, loaded on first use.
    public static let shared = CommuneMerges(csv: CSVLines.resource("commune-merges-2025"))

    /// Old code → new codes it went (wholly or partly) into.
    private let successorsByOldCode: [String: [String]]

    /// Parses `new_commune_code,old_commune_code,old_commune_name,merge_type` lines (with a header).
    public init(csv: [UInt8]) {
        var map: [String: [String]] = [:]
        CSVLines.forEachRecord(csv, fields: 4) { parts in map[parts[1], default: []].append(parts[0]) }
        successorsByOldCode = map
    }

    /// The new communes a pre-2025 commune went into (several when it was split).
    public func successors(of oldCode: String) -> [String] { successorsByOldCode[oldCode] ?? [] }
}
