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

extension ProcessImage {
    /// Whether this process runs as the administrator (root), who may install packages.
    public static var isAdministrator: Bool { geteuid() == 0 }

    /// Runs `command` (a program found on the PATH, and its arguments) with this process's terminal, and returns its
    /// exit status.
    public static func run(_ command: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = command
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// The system's package database (Debian's dpkg): what a laptop has installed.
public enum InstalledPackage {
    /// The installed version of `package` (`0.4.0-1`), nil when it is not installed or there is no dpkg.
    public static func version(_ package: String) -> String? {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/dpkg-query") else { return nil }
        let process = Process()
        let output = Pipe()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/dpkg-query")
        process.arguments = ["-W", "-f", "${Status}|${Version}", package]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return nil }  // No dpkg to ask: not installed by package.
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let parts = text.split(separator: "|")
        guard process.terminationStatus == 0, parts.count == 2, parts[0].hasSuffix("installed") else { return nil }
        return String(parts[1])
    }
}
