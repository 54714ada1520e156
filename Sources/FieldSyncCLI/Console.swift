import Foundation

/// Messages for the person at the terminal, on stderr so stdout stays clean for scripts.
enum Console {
    /// Prints a warning line.
    static func warn(_ message: String) { write("warning: \(message)\n") }

    /// Prints an informational line.
    static func note(_ message: String) { write("\(message)\n") }

    private static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Prints a value as sorted, pretty JSON on stdout.
    static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try encoder.encode(value), as: UTF8.self))
    }
}
