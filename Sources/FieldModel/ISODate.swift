import TextSafety
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The ISO 8601 dates FieldSync reads from people and writes everywhere (UTC, second precision).
public enum ISODate {
    /// The first and last second the canonical form can write (years 0000 to 9999).
    static let representable: ClosedRange<Double> = -62_167_219_200...253_402_300_799

    /// Formats a date as `2025-11-20T02:30:00Z` (whole seconds, UTC). Dates beyond the years
    /// 0000–9999 (which only arithmetic on hostile input produces) are clamped, never a crash.
    public static func format(_ date: Date) -> String {
        let raw = date.timeIntervalSince1970
        let clamped = raw.isNaN ? 0 : min(max(raw, representable.lowerBound), representable.upperBound)
        let seconds = Int64(clamped.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = Int(seconds - days * 86_400)
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * mp + 2) / 5 + 1)
        let month = Int(mp < 10 ? mp + 3 : mp - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        // Written straight into the string's storage: this runs for every visit a hub merges.
        return String(unsafeUninitializedCapacity: 20) { out in
            func put(_ value: Int, _ width: Int, at start: Int) {
                var v = value
                for i in stride(from: start + width - 1, through: start, by: -1) {
                    out[i] = UInt8(ascii: "0") + UInt8(v % 10)
                    v /= 10
                }
            }
            put(year, 4, at: 0); out[4] = UInt8(ascii: "-"); put(month, 2, at: 5); out[7] = UInt8(ascii: "-"); put(day, 2, at: 8)
            out[10] = UInt8(ascii: "T"); put(secondOfDay / 3600, 2, at: 11); out[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 14); out[16] = UInt8(ascii: ":"); put(secondOfDay % 60, 2, at: 17)
            out[19] = UInt8(ascii: "Z")
            return 20
        }
    }

    /// Parses what a person may type: a full timestamp with zone, a local date-time or date (ISO, or day first as
    /// `07/12/2026 09:30`).
    /// - Parameter timeZone: the zone for forms without one (Vietnam time, whatever the machine's zone).
    /// - Throws: `InputError.dateMalformed`.
    public static func parse(_ text: String, timeZone: TimeZone = VietnamTime.zone) throws(InputError) -> Date {
        let trimmed = text.trimmingWhitespace
        // Losing this error is safe: trying each accepted format in turn; nil (refused) when none matches.
        if let date = try? Date(trimmed, strategy: .iso8601) { return date }
        if let date = try? Date(trimmed, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        if trimmed.contains("/") { return try people(trimmed, given: text, timeZone: timeZone) }
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

    /// `07/12/2026` or `07/12/2026 09:30`, as people in Vietnam write a date (day first).
    static func people(_ text: String, given: String, timeZone: TimeZone) throws(InputError) -> Date {
        let pieces = text.split(whereSeparator: { "/: ".contains($0) }).map { Int($0) }
        let slashes = text.filter { $0 == "/" }.count
        guard slashes == 2, [3, 5].contains(pieces.count), pieces.allSatisfy({ $0 != nil }) else { throw .dateMalformed(given: given) }
        let n = pieces.compactMap { $0 }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: n[2], month: n[1], day: n[0], hour: n.count > 3 ? n[3] : 0, minute: n.count > 4 ? n[4] : 0)
        guard n[2] >= 1000, components.isValidDate(in: calendar), let date = calendar.date(from: components) else {
            throw .dateMalformed(given: given)
        }
        return date
    }

    /// Parses the canonical form `YYYY-MM-DDTHH:MM:SSZ` only (what stores and the wire carry); nil otherwise.
    public static func parseCanonical(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count == 20, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"), b[10] == UInt8(ascii: "T"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"), b[19] == UInt8(ascii: "Z")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b[i]) else { return nil }
                value = value * 10 + Int(b[i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
              let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), hour < 24, minute < 60, second < 60
        else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...monthDays[month - 1]).contains(day) else { return nil }
        // Days since 1970-01-01 (Howard Hinnant's days_from_civil).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }
}
