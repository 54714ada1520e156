#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SafeText {
    /// The width text for a terminal is laid out to: `$COLUMNS` when set (at least 40), else 100.
    public static var terminalWidth: Int {
        ProcessInfo.processInfo.environment["COLUMNS"].flatMap(Int.init).map { max($0, 40) } ?? 100
    }
}
