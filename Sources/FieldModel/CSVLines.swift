import Foundation

/// Reads the simple CSV files shipped as resources (no quoting, UTF-8) at byte level: fast at start-up.
enum CSVLines {
    /// The bytes of a shipped `.csv` resource (empty if the resource bundle is missing).
    static func resource(_ name: String) -> [UInt8] {
        guard let url = Bundle.module.url(forResource: name, withExtension: "csv"),
              // Losing this error is safe: a missing bundled resource is reported by the caller as an empty catalogue error.
              let data = try? Data(contentsOf: url)
        else { return [] }
        return [UInt8](data)
    }

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
