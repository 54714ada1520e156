#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The running program's file, and handing the process over to another program.
public enum ProcessImage {
    /// The path of the running program (`/proc/self/exe`), else `fallback` (the path it was started with).
    public static func currentExecutable(fallback: String) -> String {
        // Losing this error is safe: without /proc the path the program was started with is used instead.
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? fallback
    }

    /// Replaces this process with `program` and `arguments` (the first being the program's name); returns only if it
    /// cannot, with why.
    public static func exec(_ program: String, _ arguments: [String]) -> SystemError {
        let argv = arguments.map { strdup($0) } + [nil]
        execv(program, argv)
        return SystemError.last()
    }
}
