import Foundation

/// The ISO 8601 dates FieldSync reads from people and writes everywhere (UTC, second precision).
public enum ISODate {
    /// Formats a date as `2025-11-20T02:30:00Z`.
    public static func format(_ date: Date) -> String {
        date.formatted(.iso8601)
    }

    /// Parses what a person may type: a full timestamp with zone, a local date-time, or a local date.
    /// - Parameter timeZone: the zone for forms without one (the laptop's).
    /// - Throws: `InputError.dateMalformed`.
    public static func parse(_ text: String, timeZone: TimeZone = .current) throws(InputError) -> Date {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let pieces = trimmed.split(whereSeparator: { "-T: ".contains($0) }).map { Int($0) }
        guard [3, 5, 6].contains(pieces.count), pieces.allSatisfy({ $0 != nil }),
              trimmed.count >= 10, trimmed.dropFirst(4).first == "-"
        else { throw .dateMalformed(given: text) }
        let n = pieces.compactMap { $0 }
        let components = DateComponents(year: n[0], month: n[1], day: n[2],
                                        hour: n.count > 3 ? n[3] : 0, minute: n.count > 4 ? n[4] : 0,
                                        second: n.count > 5 ? n[5] : 0)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw .dateMalformed(given: text)
        }
        return date
    }

    /// Parses the canonical UTC form only (what stores and the wire carry); nil otherwise.
    public static func parseCanonical(_ text: String) -> Date? {
        try? Date(text, strategy: .iso8601)
    }
}
