#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The terminal a person types at, when there is one.
public enum Terminal {
    /// Whether standard input is a terminal (a person can be asked).
    public static var inputIsInteractive: Bool { isatty(0) == 1 }
    /// Whether standard error is a terminal (progress may be drawn in place).
    public static var errorIsInteractive: Bool { isatty(2) == 1 }

    /// Writes `text` to standard error as it is, whole (a write cut by a signal goes on).
    public static func writeToError(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let written = bytes.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            if written > 0 { bytes = bytes.dropFirst(written) } else if written < 0 && errno == EINTR { continue } else { return }
        }
    }

    /// Asks for a secret without echoing it; nil without a terminal or when nothing could be read.
    public static func readSecret(_ prompt: String) -> String? {
        guard inputIsInteractive, let typed = getpass(prompt) else { return nil }
        return String(cString: typed)
    }
}
