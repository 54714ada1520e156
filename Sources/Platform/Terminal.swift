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

    /// Asks for a secret without echoing it; nil without a terminal or when nothing could be read.
    public static func readSecret(_ prompt: String) -> String? {
        guard inputIsInteractive, let typed = getpass(prompt) else { return nil }
        return String(cString: typed)
    }
}
