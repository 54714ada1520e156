import Foundation

/// What a finished child process left: exit status and its two output streams.
public struct ProcessResult: Sendable, CustomStringConvertible {
    /// The exit status (128 + signal number when killed by a signal).
    public let status: Int32
    /// Everything it wrote to stdout.
    public let stdout: String
    /// Everything it wrote to stderr.
    public let stderr: String
    /// The exact bytes it wrote to stdout.
    public let stdoutBytes: Data

    /// stdout without the trailing newline.
    public var output: String { stdout.trimmingCharacters(in: .whitespacesAndNewlines) }

    /// The stderr lines that are not empty.
    public var errorLines: [String] { stderr.split(separator: "\n").map(String.init) }

    public var description: String { "exit \(status)\n--- stdout\n\(stdout)--- stderr\n\(stderr)" }
}
