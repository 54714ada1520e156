import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Platform
import Localization
import TextSafety

/// Messages for the person at the terminal, on stderr so stdout stays clean for scripts.
public enum Console {
    /// Prints a warning line ("cảnh báo: …" / "warning: …").
    public static func warn(_ message: String) { write(Catalogue.process.format("cli.warning", message) + "\n") }

    /// Prints an informational line.
    public static func note(_ message: String) { write("\(message)\n") }

    /// Writes text to stderr as it is.
    public static func write(_ text: String) {
        Terminal.writeToError(text)
    }

    /// Prints a value as sorted, pretty JSON on stdout.
    public static func printJSON<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(SafeText.jsonEscapingInvisible(String(decoding: try encoder.encode(value), as: UTF8.self)))
    }
}

extension Console {
    /// Whether stderr is a terminal (progress lines are shown only there).
    public static var isTerminal: Bool { Terminal.errorIsInteractive }

    /// Rewrites the current terminal line with a progress message.
    public static func progress(_ message: String) {
        write("\r\u{1B}[K\(message)")
    }

    /// Ends a progress line.
    public static func endProgress() { write("\r\u{1B}[K") }
}

extension Console {
    /// Ends the process for an error: "Lỗi: …" with the message in the person's language, or ArgumentParser's
    /// own handling (help, usage errors, exit codes).
    public static func exit(_ error: any Error, command: any ParsableCommand.Type) -> Never {
        if let message = error as? any PeopleMessage {
            let t = Catalogue.process
            note(t["cli.error"] + ": " + SafeText.terminal(message.message(t)))
            ProcessImage.terminate(1)
        }
        command.exit(withError: error)
    }
}
