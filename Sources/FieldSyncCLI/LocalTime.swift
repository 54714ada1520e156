import FieldModel
import Foundation

/// Dates as the volunteer reads them: the laptop's time zone, to the minute.
enum LocalTime {
    /// `2025-11-20 09:30` in the laptop's time zone.
    static func format(_ date: Date) -> String { ISODate.localMinute(date) }

    /// The laptop's offset from UTC, e.g. `UTC+7`, for column titles.
    static var zone: String {
        let offset = TimeZone.current.secondsFromGMT()
        let minutes = abs(offset) % 3_600 / 60
        return "UTC" + (offset < 0 ? "-" : "+") + "\(abs(offset) / 3_600)" + (minutes == 0 ? "" : String(format: ":%02d", minutes))
    }
}
