import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FieldModel
import RecordKinds
import SyncCore

// The households this laptop holds (issue 31): the commune's list as the hub sent it, and those a volunteer added in
// the field; visits name them, follow-ups come back to them.
extension FieldStore {
    /// The live households, by village and address.
    public func households() throws -> [RecordState] {
        try records(of: "household").sorted { Self.householdOrder($0) < Self.householdOrder($1) }
    }

    /// The household a person names: its id (or 8 characters of it), its code, or words of its village, address or
    /// head's name, diacritics optional (`12 ngo 5`, `nguyen van an`).
    /// - Throws: `StoreError.householdNotFound` or `.householdAmbiguous` naming the matches.
    public func household(named text: String) throws -> RecordState {
        let trimmed = text.trimmingWhitespace
        if trimmed.count >= 8, trimmed.allSatisfy({ $0.isHexDigit || $0 == "-" }) {
            do {
                return try record(of: "household", trimmed)
            } catch StoreError.visitNotFound {
                // Not an id of a household: looked for as words next.
            }
        }
        let folded = HouseholdKey.normalised(trimmed)
        guard !folded.isEmpty else { throw StoreError.householdNotFound(given: text) }
        let all = try households()
        if let byCode = all.first(where: { HouseholdKey.normalised($0["code"]?.value.text ?? "") == folded }) { return byCode }
        let matches = Self.households(all, matching: text)
        guard let first = matches.first else { throw StoreError.householdNotFound(given: text) }
        guard matches.count == 1 else { throw StoreError.householdAmbiguous(given: text, matches: matches.prefix(3).map(Self.householdLine)) }
        return first
    }

    /// Adds a household met in the field (missing from the commune's list).
    /// - Throws: `InputError` for a part the kind refuses, `StoreError.householdExists` when it is in the list already.
    @discardableResult
    public func addHousehold(_ draft: HouseholdDraft, now: Date = Date()) throws -> RecordState {
        let kind = try kind("household")
        if let same = try households().first(where: { $0["key"]?.value.text == draft.key }) {
            throw StoreError.householdExists(line: Self.householdLine(same))
        }
        var values = try draft.values(kind)
        values["source"] = .text("field")
        return try logRecord(kind, values, now: now)
    }

    /// The follow-ups of the team's visits still open, nearest first: each with when to come back and its household.
    public func dueFollowUps() throws -> [DueFollowUp] {
        Self.dueFollowUps(try visits(VisitFilter(includeDeleted: false)), households: try households(), team: profile.team)
    }

    /// The open follow-ups of `team` among live `visits` already read, with their households.
    public static func dueFollowUps(_ visits: [StoredVisit], households: [RecordState], team: String) -> [DueFollowUp] {
        let open = FollowUps.open(visits.map { ($0.visit, $0.rawCitizenID) }).filter { $0.visit.team == team }
        guard !open.isEmpty else { return [] }
        let households = Dictionary(households.map { ($0.id, $0) }) { first, _ in first }
        return open.map { DueFollowUp(visit: $0.visit, on: $0.on, household: $0.visit.household.flatMap { households[$0] }) }
    }

    /// One line naming a household to a person: village, address, head.
    public static func householdLine(_ household: RecordState) -> String {
        let value = { (name: String) in household[name]?.value.text ?? "" }
        return [value("village"), [value("houseNumber"), value("street")].filter { !$0.isEmpty }.joined(separator: " "), value("head")]
            .filter { !$0.isEmpty }.joined(separator: ", ")
    }

    /// The households among `households` whose village, code, address or head's name hold every word of `text`
    /// (diacritics optional).
    public static func households(_ households: [RecordState], matching text: String) -> [RecordState] {
        let words = HouseholdKey.normalised(text).split(separator: " ").map(String.init)
        return households.filter { household in
            let haystack = " " + HouseholdKey.normalised(["village", "code", "houseNumber", "street", "head"]
                .compactMap { household[$0]?.value.text }.joined(separator: " ")) + " "
            return words.allSatisfy { haystack.contains(" " + $0 + " ") }
        }
    }

    static func householdOrder(_ household: RecordState) -> String {
        let value = { (name: String) in household[name]?.value.text ?? "" }
        let number = value("houseNumber").prefix { $0.isNumber }
        return VietnameseText.fold(value("village")) + "|" + VietnameseText.fold(value("street")) + "|"
            + String(repeating: "0", count: max(0, 6 - number.count)) + number + "|" + household.id
    }
}

/// A follow-up still open: the visit, when to come back (canonical UTC, a Vietnam midnight), its household if any.
public struct DueFollowUp: Sendable {
    public var visit: Visit
    public var on: String
    public var household: RecordState?
}
