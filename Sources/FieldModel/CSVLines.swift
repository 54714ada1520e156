#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads the simple CSV files shipped with FieldSync (no quoting, UTF-8) at byte level: fast at start-up.
enum CSVLines {
    /// The bytes of a shipped `.csv` file (`Resources/`, compiled in; empty for an unknown name).
    static func resource(_ name: String) -> [UInt8] { Array(EmbeddedUnits.texts[name]?.utf8 ?? "".utf8) }

    /// Calls `body` with the fields of every line after the header that has exactly `fields` fields.
    static func forEachRecord(_ bytes: [UInt8], fields: Int, _ body: ([String]) -> Void) {
        var parts: [String] = []
        parts.reserveCapacity(fields)
        var isHeader = true
        bytes.withUnsafeBufferPointer { buffer in
            var fieldStart = 0
            for index in 0...buffer.count {
                let byte = index < buffer.count ? buffer[index] : UInt8(ascii: "\n")
                guard byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") else { continue }
                var end = index
                if byte == UInt8(ascii: "\n"), end > fieldStart, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[fieldStart..<end]), as: UTF8.self))
                fieldStart = index + 1
                if byte == UInt8(ascii: "\n") {
                    if !isHeader, parts.count == fields { body(parts) }
                    isHeader = false
                    parts.removeAll(keepingCapacity: true)
                }
            }
        }
    }
}
