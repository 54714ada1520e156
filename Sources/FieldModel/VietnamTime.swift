#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The deployment's clock for people: Vietnam time (Asia/Ho_Chi_Minh, UTC+7, no daylight saving since
/// 1975). Reports count visits by Vietnam day and show times in it, whatever zone the hub machine runs in.
public enum VietnamTime {
    /// The zone (the system's tz database entry, or the same fixed offset where that is missing).
    public static let zone: TimeZone = TimeZone(identifier: "Asia/Ho_Chi_Minh") ?? TimeZone(secondsFromGMT: 25_200) ?? .gmt

    /// `2026-11-25`: the Vietnam day of a moment.
    public static func day(of date: Date) -> String {
        String(ISODate.format(date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date)))).prefix(10))
    }

    /// The Vietnam day of a canonical timestamp, or nil when it is not one.
    public static func day(ofCanonical text: String) -> String? {
        ISODate.parseCanonical(text).map(day(of:))
    }

    /// The moment a Vietnam day (`2026-11-25`) begins, as a canonical timestamp (`2026-11-24T17:00:00Z`).
    public static func start(ofDay day: String) -> String? {
        ISODate.parseCanonical(day + "T00:00:00Z").map { ISODate.format($0.addingTimeInterval(-TimeInterval(zone.secondsFromGMT(for: $0)))) }
    }

    /// The moment the Vietnam day of `date` ends (the next Vietnam midnight).
    public static func endOfDay(of date: Date) -> Date {
        let offset = TimeInterval(zone.secondsFromGMT(for: date))
        let local = date.timeIntervalSince1970 + offset
        return Date(timeIntervalSince1970: (local / 86_400).rounded(.down) * 86_400 + 86_400 - offset)
    }

    /// The Vietnam day a canonical timestamp begins, when it is a Vietnam midnight.
    public static func dayStarting(at text: String) -> String? {
        guard let day = day(ofCanonical: text), start(ofDay: day) == text else { return nil }
        return day
    }

    /// `25/11/2026 08:15`: a moment as people in Vietnam write it.
    public static func display(_ date: Date) -> String {
        let local = ISODate.format(date.addingTimeInterval(TimeInterval(zone.secondsFromGMT(for: date))))
        let d = Array(local)
        return "\(String(d[8...9]))/\(String(d[5...6]))/\(String(d[0...3])) \(String(d[11...15]))"
    }

    /// The display form of a canonical timestamp (the text itself when it is not one).
    public static func display(canonical text: String) -> String {
        ISODate.parseCanonical(text).map(display) ?? text
    }
}
