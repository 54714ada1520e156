import FieldModel
import Foundation
import TextSafety

/// A village or residential group of a commune (thôn, tổ dân phố) and the team that covers it: what a commune's
/// coordinator defines so that households, worklists and coverage can follow (issue 31).
public struct Village: Sendable, Equatable, Codable {
    /// The commune's 5-digit code.
    public var commune: String
    /// Its name as people write it (NFC), 1–120 characters.
    public var name: String
    /// The commune's own code for it, when it has one (letters, digits, `-`, up to 20).
    public var code: String?
    /// The team that covers it, nil while none does.
    public var team: String?

    public init(commune: String, name: String, code: String? = nil, team: String? = nil) {
        self.commune = commune
        self.name = name
        self.code = code
        self.team = team
    }

    /// What identifies it within its commune: its code when it has one, else its name folded (without diacritics).
    public var key: String { code.map { "code:" + $0.lowercased() } ?? "name:" + VietnameseText.fold(name) }

    /// Whether a text a person typed names this village: its code, or its name without diacritics.
    public func isNamed(by text: String) -> Bool {
        let folded = VietnameseText.fold(text.trimmingCharacters(in: .whitespaces))
        return folded == VietnameseText.fold(name) || code.map { $0.lowercased() == folded } == true
    }

    /// The village with its parts checked and put in their canonical form.
    /// - Throws: `InputError` for a commune, name, code or team that does not hold.
    public func validated(catalogue: CommuneCatalogue = .shared) throws -> Village {
        let commune = try catalogue.resolve(self.commune).code
        let name = try VietnameseText.clean(name, field: "village name", limit: Visit.nameLimit)
        var code: String?
        if let given = self.code?.trimmingCharacters(in: .whitespaces), !given.isEmpty {
            guard given.utf8.count <= 20, given.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || $0 == 45 })
            else { throw HubError.invalidRequest("a village code is up to 20 letters, digits or -, not \(SafeText.quote(given))") }
            code = given
        }
        let team = try self.team.flatMap { $0.isEmpty ? nil : $0 }.map { try TeamCode.validate($0) }
        return Village(commune: commune, name: name, code: code, team: team)
    }
}
