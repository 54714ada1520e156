#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The running program's file, and handing the process over to another program.
public enum ProcessImage {
    /// The path of the running program (`/proc/self/exe`), else `fallback` (the path it was started with).
    public static func currentExecutable(fallback: String) -> String {
        // Losing this error is safe: without /proc the path the program was started with is used instead.
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? fallback
    }

    /// Ends this process with `status` (0 success, 1 failure).
    public static func terminate(_ status: Int32) -> Never { exit(status) }

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
    public static func run(_ command: [String]) throws(SystemError) -> Int32 {
        try spawn("/usr/bin/env", ["env"] + command, capturingOutput: false).status
    }

    /// Starts `program` (a path) with `arguments` (the first being its name) and waits for it: its exit status (128 + the
    /// signal when one stopped it) and, when `capturingOutput`, what it wrote on its standard output (its errors are
    /// dropped). Foundation's `Process` is not used: the laptop's `fieldsync` links FoundationEssentials only.
    static func spawn(_ program: String, _ arguments: [String], capturingOutput: Bool) throws(SystemError) -> (status: Int32, output: [UInt8]) {
        var pipeEnds: [Int32] = [-1, -1]
        if capturingOutput, pipe(&pipeEnds) != 0 { throw SystemError.last() }
        defer { for end in pipeEnds where end >= 0 { close(end) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if capturingOutput {
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], STDOUT_FILENO)
            posix_spawn_file_actions_addclose(&actions, pipeEnds[0])
            posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0)
        }
        let argv = arguments.map { strdup($0) } + [nil]
        defer { for argument in argv { free(argument) } }
        var child: pid_t = 0
        let started = posix_spawn(&child, program, &actions, nil, argv, environ)
        guard started == 0 else { throw SystemError(code: started) }
        var output: [UInt8] = []
        if capturingOutput {
            close(pipeEnds[1])
            pipeEnds[1] = -1
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(pipeEnds[0], $0.baseAddress, $0.count) }
                if count > 0 { output += buffer[..<count] } else if count == 0 || errno != EINTR { break }
            }
        }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 {
            guard errno == EINTR else { throw SystemError.last() }
        }
        let signal = status & 0x7f
        return (signal == 0 ? (status >> 8) & 0xff : 128 + signal, output)
    }
}

/// The system's package database (Debian's dpkg): what a laptop has installed.
public enum InstalledPackage {
    /// The installed version of `package` (`0.4.0-1`), nil when it is not installed or there is no dpkg.
    public static func version(_ package: String) -> String? {
        guard access("/usr/bin/dpkg-query", X_OK) == 0,
              let answer = try? ProcessImage.spawn("/usr/bin/dpkg-query", ["dpkg-query", "-W", "-f", "${Status}|${Version}", package],
                                                   capturingOutput: true)  // Losing this error is safe: no dpkg to ask is "not installed by package".
        else { return nil }
        let parts = String(decoding: answer.output, as: UTF8.self).split(separator: "|")
        guard answer.status == 0, parts.count == 2, parts[0].hasSuffix("installed") else { return nil }
        return String(parts[1])
    }
}
